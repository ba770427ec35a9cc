/** RAM authorization through the official SDK, with RAM user keys of the account. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, CamsModels, sdkError, startServer, type TestServer } from '../support/server.js';
import { addRequest, expectSdkError, phoneRows, phoneSequence, ramUser, unlimited } from './helpers.js';

let s: TestServer;
const phone = phoneSequence(500);
beforeAll(async () => {
  s = await startServer({}, { limiter: unlimited });
});
afterAll(() => s.close());

const query = () => new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId });

function policy(statements: object[]): string {
  return JSON.stringify({ Version: '1', Statement: statements });
}

async function expectDenied(
  promise: Promise<unknown>,
  user: { userId: string },
  action: string,
  noPermissionType: 'ImplicitDeny' | 'ExplicitDeny',
): Promise<void> {
  const before = await phoneRows(s);
  const err = await sdkError(promise);
  expectSdkError(err, 'Ram.PermissionDeny', 400, 'You are not authorized to perform the operation.');
  expect(err.accessDeniedDetail).toEqual({
    AuthAction: action,
    AuthPrincipalType: 'SubUser',
    AuthPrincipalOwnerId: s.root.accountId,
    AuthPrincipalDisplayName: user.userId,
    PolicyType: 'AccountLevelIdentityBasedPolicy',
    NoPermissionType: noPermissionType,
  });
  expect(await phoneRows(s)).toEqual(before);
}

describe('RAM', () => {
  it('AliyunCamsFullAccess allows AddChatappPhoneNumber and QueryChatappPhoneNumbers', async () => {
    const user = await ramUser(s, s.root.accountId, 'full', ['AliyunCamsFullAccess']);
    const client = camsClient(s, user);
    const number = phone();
    expect((await client.addChatappPhoneNumber(addRequest(s.root.custSpaceId, number))).body?.code).toBe(
      'OK',
    );
    const listed = (await client.queryChatappPhoneNumbers(query())).body?.phoneNumbers ?? [];
    expect(listed.map((n) => n.phoneNumber)).toContain(`86${number}`);
  });

  it('AliyunCamsReadOnlyAccess denies AddChatappPhoneNumber (ImplicitDeny)', async () => {
    const user = await ramUser(s, s.root.accountId, 'readonly1', ['AliyunCamsReadOnlyAccess']);
    await expectDenied(
      camsClient(s, user).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
      user,
      'cams:AddChatappPhoneNumber',
      'ImplicitDeny',
    );
  });

  it('AliyunCamsReadOnlyAccess also denies QueryChatappPhoneNumbers (it matches cams:Get* and cams:List* only)', async () => {
    const user = await ramUser(s, s.root.accountId, 'readonly2', ['AliyunCamsReadOnlyAccess']);
    await expectDenied(
      camsClient(s, user).queryChatappPhoneNumbers(query()),
      user,
      'cams:QueryChatappPhoneNumbers',
      'ImplicitDeny',
    );
  });

  it('an explicit Deny wins over an Allow (ExplicitDeny)', async () => {
    await s.app.iam.createPolicy(
      s.root.accountId,
      'DenyAddNumber',
      policy([{ Effect: 'Deny', Action: 'cams:AddChatappPhoneNumber', Resource: '*' }]),
    );
    const user = await ramUser(s, s.root.accountId, 'denied', ['AliyunCamsFullAccess', 'DenyAddNumber']);
    await expectDenied(
      camsClient(s, user).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
      user,
      'cams:AddChatappPhoneNumber',
      'ExplicitDeny',
    );
    // The Deny is scoped to its action: the rest of the Allow still applies.
    expect((await camsClient(s, user).queryChatappPhoneNumbers(query())).body?.code).toBe('OK');
  });

  it('Condition IpAddress acs:SourceIp 127.0.0.1/32 allows a call from 127.0.0.1', async () => {
    await s.app.iam.createPolicy(
      s.root.accountId,
      'FromLoopback',
      policy([
        {
          Effect: 'Allow',
          Action: 'cams:*',
          Resource: '*',
          Condition: { IpAddress: { 'acs:SourceIp': '127.0.0.1/32' } },
        },
      ]),
    );
    const user = await ramUser(s, s.root.accountId, 'loopback', ['FromLoopback']);
    const number = phone();
    const res = await camsClient(s, user).addChatappPhoneNumber(addRequest(s.root.custSpaceId, number));
    expect(res.body?.code).toBe('OK');
    expect((await phoneRows(s)).map((r) => r.e164)).toContain(`86${number}`);
  });

  it('Condition IpAddress acs:SourceIp 10.0.0.0/8 denies a call from 127.0.0.1', async () => {
    await s.app.iam.createPolicy(
      s.root.accountId,
      'FromTenNet',
      policy([
        {
          Effect: 'Allow',
          Action: 'cams:*',
          Resource: '*',
          Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } },
        },
      ]),
    );
    const user = await ramUser(s, s.root.accountId, 'tennet', ['FromTenNet']);
    await expectDenied(
      camsClient(s, user).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
      user,
      'cams:AddChatappPhoneNumber',
      'ImplicitDeny',
    );
  });

  it('a root key is always allowed, even with policies denying the RAM users', async () => {
    const number = phone();
    const res = await camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, number));
    expect(res.body?.code).toBe('OK');
    expect((await camsClient(s, s.root).queryChatappPhoneNumbers(query())).body?.code).toBe('OK');
    expect((await phoneRows(s)).map((r) => r.e164)).toContain(`86${number}`);
  });
});
