/**
 * The credentials chain end to end, with the official packages unmodified: `@alicloud/credentials` of
 * type `ram_role_arn` pointed at this service's STS (over TLS: the provider speaks HTTPS only) feeds
 * `@alicloud/cams20200606`, which adds a number; and `sts` credentials set by hand from an AssumeRole
 * answer, until the server's clock passes their Expiration and the SDK sees InvalidSecurityToken.Expired.
 */
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import Cams from '@alicloud/cams20200606';
import * as OpenApi from '@alicloud/openapi-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamsModels, sdkError, startServer, type TestServer } from '../support/server.js';
import { opensslMissing, tlsProxy, type TlsProxy } from '../support/tls-proxy.js';
import { ramUserWith } from '../ram-api/helpers.js';
import { addRequest, expectSdkError, phoneRows, phoneSequence } from '../wire/helpers.js';
import { roleWith, stsClient, StsModels } from './helpers.js';

// CommonJS interop differs between Node and vitest (as in test/support/server.ts).
const CamsClient = (typeof Cams === 'function' ? Cams : Cams.default) as typeof Cams.default;
const CredentialClient = (
  typeof Credential === 'function' ? Credential : Credential.default
) as typeof Credential.default;

const phone = phoneSequence(950);
const noOpenssl = opensslMissing();

/** The CAMS client as an integrator builds it: a credentials client instead of keys. */
const camsWith = (s: TestServer, credential: InstanceType<typeof Credential.default>) =>
  new CamsClient(new OpenApi.Config({ credential, endpoint: s.endpoint, protocol: 'http' }));

let s: TestServer;
let roleArn: string;
let user: { accessKeyId: string; accessKeySecret: string };
beforeAll(async () => {
  s = await startServer();
  roleArn = (await roleWith(s, 'CamsOperator', { policies: ['AliyunCamsFullAccess'] })).arn;
  user = await ramUserWith(s, 'deployer', ['AliyunSTSAssumeRoleAccess']);
});
afterAll(() => s.close());

describe.skipIf(noOpenssl !== undefined)(`ram_role_arn${noOpenssl ? ` (${noOpenssl})` : ''}`, () => {
  let proxy: TlsProxy;
  const rejectUnauthorized = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  beforeAll(async () => {
    proxy = await tlsProxy(s.port);
    // The provider's HTTP client takes no CA; the self-signed test certificate is accepted this way.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  });
  afterAll(async () => {
    if (rejectUnauthorized === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = rejectUnauthorized;
    await proxy?.close();
  });

  it('the provider assumes the role at this service and the CAMS SDK adds a number with it', async () => {
    const credential = new CredentialClient(
      new CredentialConfig({
        type: 'ram_role_arn',
        accessKeyId: user.accessKeyId,
        accessKeySecret: user.accessKeySecret,
        roleArn,
        roleSessionName: 'pipeline',
        roleSessionExpiration: 3600,
        stsEndpoint: proxy.endpoint,
      }),
    );
    const sessions = (await s.app.db.selectFrom('sts_sessions').select('access_key_id').execute()).length;
    const number = phone();
    const added = await camsWith(s, credential).addChatappPhoneNumber(addRequest(s.root.custSpaceId, number));
    expect(added.body?.code).toBe('OK');
    expect((await phoneRows(s)).map((r) => r.e164)).toContain(`86${number}`);
    const model = await credential.getCredential();
    expect(model.type).toBe('ram_role_arn');
    expect(model.accessKeyId).toMatch(/^STS\./);
    // One AssumeRole at this service: the session it issued is the one the SDK signs with.
    const rows = await s.app.db.selectFrom('sts_sessions').selectAll().execute();
    expect(rows).toHaveLength(sessions + 1);
    expect(rows.map((r) => r.access_key_id)).toContain(model.accessKeyId);
    expect(rows.find((r) => r.access_key_id === model.accessKeyId)?.session_name).toBe('pipeline');
    // And the audit trail names the assumed role as the writer.
    const audit = await s.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('access_key_id', '=', model.accessKeyId!)
      .execute();
    expect(audit.map((a) => [a.identity, a.action, a.code])).toEqual([
      ['assumed-role:CamsOperator/pipeline', 'AddChatappPhoneNumber', 'OK'],
    ]);
  });
});

describe('sts credentials set by hand', () => {
  it('work until their Expiration, then the SDK sees InvalidSecurityToken.Expired', async () => {
    // The server's clock runs 60 s behind while the role is assumed, then 850 s ahead: the credentials
    // (900 s from the server's then) have expired, and every request stays within the 15-minute skew.
    s.clock.offsetMs = -60_000;
    const c = (
      await stsClient(s, user).assumeRole(
        new StsModels.AssumeRoleRequest({ roleArn, roleSessionName: 'by-hand', durationSeconds: 900 }),
      )
    ).body!.credentials!;
    s.clock.offsetMs = 0;
    const credential = new CredentialClient(
      new CredentialConfig({
        type: 'sts',
        accessKeyId: c.accessKeyId!,
        accessKeySecret: c.accessKeySecret!,
        securityToken: c.securityToken!,
      }),
    );
    const cams = camsWith(s, credential);
    const query = new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId });
    expect((await cams.queryChatappPhoneNumbers(query)).body?.code).toBe('OK');
    s.clock.offsetMs = 850_000;
    try {
      const err = await sdkError(cams.queryChatappPhoneNumbers(query));
      expectSdkError(err, 'InvalidSecurityToken.Expired', 400, 'Specified SecurityToken is expired.');
      const before = await phoneRows(s);
      const write = await sdkError(cams.addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())));
      expect(write.code).toBe('InvalidSecurityToken.Expired');
      expect(await phoneRows(s)).toEqual(before);
    } finally {
      s.clock.offsetMs = 0;
    }
  });
});
