/**
 * Temporary credentials at the gateway, through the official clients unmodified: the CAMS SDK with a
 * SecurityToken (V3 `x-acs-security-token`, V1 `SecurityToken`) and pop-core. The sessions are issued
 * by hand here (iam/sts-sessions.ts); AssumeRole through the STS SDK is test/sts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedCredentials } from '../../src/iam/sts-sessions.js';
import {
  camsClient,
  CamsModels,
  popClient,
  sdkError,
  startServer,
  type TestServer,
} from '../support/server.js';
import {
  addRequest,
  expectJsonError,
  recordingRelay,
  expectPopError,
  expectSdkError,
  phoneRows,
  phoneSequence,
  popError,
  unlimited,
} from './helpers.js';

let s: TestServer;
const phone = phoneSequence(700);
/** A role with no policy attached (everything denied), and one with AliyunCamsFullAccess. */
const ROLES = { bare: { id: '', name: 'deployer' }, full: { id: '', name: 'operator' } };
const TRUST = JSON.stringify({
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1000000000000001:root'] } },
  ],
});

beforeAll(async () => {
  s = await startServer({}, { limiter: unlimited });
  for (const role of Object.values(ROLES)) {
    role.id = (
      await s.app.services.roles.create(s.root.accountId, { name: role.name, trustPolicy: TRUST })
    ).id;
  }
  await s.app.services.roles.attachPolicy(s.root.accountId, 'operator', 'System', 'AliyunCamsFullAccess');
});
afterAll(() => s.close());

const issue = (
  sessionName: string,
  durationSeconds = 3600,
  policy?: string,
  role: { id: string; name: string } = ROLES.bare,
): Promise<IssuedCredentials> =>
  s.app.sts.issue({
    accountId: s.root.accountId,
    role: { ...role, arn: `acs:ram::${s.root.accountId}:role/${role.name}` },
    sessionName,
    durationSeconds,
    ...(policy === undefined ? {} : { policy }),
  });

const creds = (c: IssuedCredentials, securityToken: string | null = c.securityToken) => ({
  accessKeyId: c.accessKeyId,
  accessKeySecret: c.accessKeySecret,
  ...(securityToken === null ? {} : { securityToken }),
});

const query = () => new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId });

describe('temporary credentials at the gateway', () => {
  it('V3 and V1: the assumed role is the caller, never the root, and a denial names it', async () => {
    const c = await issue('alice');
    const before = await phoneRows(s);
    for (const algorithm of [undefined, 'v2']) {
      const err = await sdkError(
        camsClient(s, creds(c), algorithm).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
      );
      expectSdkError(err, 'Ram.PermissionDeny', 400);
      expect(err.accessDeniedDetail).toEqual({
        AuthAction: 'cams:AddChatappPhoneNumber',
        AuthPrincipalType: 'AssumedRoleUser',
        AuthPrincipalOwnerId: s.root.accountId,
        AuthPrincipalDisplayName: 'deployer:alice',
        PolicyType: 'AccountLevelIdentityBasedPolicy',
        NoPermissionType: 'ImplicitDeny',
      });
    }
    expect(await phoneRows(s)).toEqual(before);
  });

  it("the role's policies allow, and the session policy narrows them (PolicyType SessionPolicy)", async () => {
    const full = await issue('ivan', 3600, undefined, ROLES.full);
    for (const algorithm of [undefined, 'v2']) {
      const number = phone();
      const added = await camsClient(s, creds(full), algorithm).addChatappPhoneNumber(
        addRequest(s.root.custSpaceId, number),
      );
      expect(added.body?.code).toBe('OK');
      expect((await phoneRows(s)).map((r) => r.e164)).toContain(`86${number}`);
    }
    const queryOnly = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'cams:Query*', Resource: '*' }],
    });
    const narrow = await issue('judy', 3600, queryOnly, ROLES.full);
    const client = camsClient(s, creds(narrow));
    expect((await client.queryChatappPhoneNumbers(query())).body?.code).toBe('OK');
    const before = await phoneRows(s);
    const err = await sdkError(client.addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())));
    expectSdkError(err, 'Ram.PermissionDeny', 400);
    expect(err.accessDeniedDetail).toMatchObject({
      AuthPrincipalType: 'AssumedRoleUser',
      AuthPrincipalDisplayName: 'operator:judy',
      PolicyType: 'SessionPolicy',
      NoPermissionType: 'ImplicitDeny',
    });
    expect(await phoneRows(s)).toEqual(before);
  });

  it('an STS AccessKeyId without its token answers MissingSecurityToken (V3, V1, pop-core)', async () => {
    const c = await issue('bob');
    for (const algorithm of [undefined, 'v2']) {
      const err = await sdkError(camsClient(s, creds(c, null), algorithm).queryChatappPhoneNumbers(query()));
      expectSdkError(err, 'MissingSecurityToken', 400, 'SecurityToken is mandatory for this action.');
    }
    const pop = await popError(
      popClient(s, creds(c, null)).request('QueryChatappPhoneNumbers', {
        CustSpaceId: s.root.custSpaceId,
      }),
    );
    expectPopError(pop, 'MissingSecurityToken');
  });

  it('a malformed, forged or mismatched token is refused with its code', async () => {
    const c = await issue('carol');
    const other = await issue('dave');
    const forged = c.securityToken.slice(0, -1) + (c.securityToken.endsWith('A') ? 'B' : 'A');
    const cases: Array<[string, string, string]> = [
      ['garbage', 'InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.'],
      [forged, 'InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.'],
      [
        other.securityToken,
        'InvalidSecurityToken.MismatchWithAccessKey',
        'Specified SecurityToken mismatch with the AccessKey.',
      ],
    ];
    for (const [token, code, message] of cases) {
      for (const algorithm of [undefined, 'v2']) {
        const err = await sdkError(
          camsClient(s, creds(c, token), algorithm).queryChatappPhoneNumbers(query()),
        );
        expectSdkError(err, code, 400, message);
      }
      const pop = await popError(
        popClient(s, creds(c, token)).request('QueryChatappPhoneNumbers', {
          CustSpaceId: s.root.custSpaceId,
        }),
      );
      expectPopError(pop, code, message);
    }
  });

  it('V3: a security token left out of SignedHeaders is IncompleteSignature', async () => {
    const c = await issue('kate');
    const relay = await recordingRelay(s);
    try {
      await camsClient({ ...s, endpoint: relay.endpoint }, creds(c))
        .queryChatappPhoneNumbers(query())
        .catch(() => {});
      const r = relay.recorded[0]!;
      expect(r.headers['x-acs-security-token']).toBe(c.securityToken);
      const headers = { ...r.headers } as Record<string, string>;
      headers.authorization = headers.authorization!.replace('x-acs-security-token;', '');
      headers['x-acs-signature-nonce'] = `${headers['x-acs-signature-nonce']}0`;
      delete headers['transfer-encoding'];
      const res = await fetch(`http://${s.endpoint}${r.url}`, { method: r.method, headers });
      const body = await expectJsonError(res, 'IncompleteSignature', 400);
      expect(body.Message).toMatch(/headers not signed: .*x-acs-security-token/);
    } finally {
      await relay.close();
    }
  });

  it('an unknown STS AccessKeyId is InvalidAccessKeyId.NotFound', async () => {
    const c = await issue('erin');
    const err = await sdkError(
      camsClient(s, {
        ...creds(c),
        accessKeyId: 'STS.0000000000000000000000000000',
      }).queryChatappPhoneNumbers(query()),
    );
    expectSdkError(err, 'InvalidAccessKeyId.NotFound', 404);
  });

  it('the credential works until its Expiration, then answers InvalidSecurityToken.Expired', async () => {
    const c = await issue('frank', 60);
    const client = camsClient(s, creds(c));
    // Before: authenticated (the role has no policy, so RAM decides).
    expect((await sdkError(client.queryChatappPhoneNumbers(query()))).code).toBe('Ram.PermissionDeny');
    s.clock.offsetMs = Date.parse(c.expiration) - Date.now() + 1000;
    try {
      const err = await sdkError(client.queryChatappPhoneNumbers(query()));
      expectSdkError(err, 'InvalidSecurityToken.Expired', 400, 'Specified SecurityToken is expired.');
    } finally {
      s.clock.offsetMs = 0;
    }
  });

  it('no log line and no audit row holds a token or a secret', async () => {
    const issued = await Promise.all(['gina', 'hank'].map((n) => issue(n)));
    await sdkError(
      camsClient(s, creds(issued[0]!)).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    await sdkError(
      camsClient(s, creds(issued[0]!, issued[1]!.securityToken), 'v2').queryChatappPhoneNumbers(query()),
    );
    const logs = JSON.stringify(s.logs);
    const rows = await s.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('access_key_id', '=', issued[0]!.accessKeyId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    // The denied write, and the refused token: both under the account and the assumed role.
    expect(rows.map((r) => [r.account_id, r.identity, r.action, r.code])).toEqual([
      [s.root.accountId, 'assumed-role:deployer/gina', 'AddChatappPhoneNumber', 'Ram.PermissionDeny'],
      [
        s.root.accountId,
        'assumed-role:deployer/gina',
        'QueryChatappPhoneNumbers',
        'InvalidSecurityToken.MismatchWithAccessKey',
      ],
    ]);
    const audit = JSON.stringify(await s.app.db.selectFrom('audit_events').selectAll().execute());
    for (const c of issued) {
      for (const text of [logs, audit]) {
        expect(text).not.toContain(c.securityToken);
        expect(text).not.toContain(c.accessKeySecret);
      }
    }
  });
});
