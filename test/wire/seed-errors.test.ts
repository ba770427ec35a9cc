/**
 * The four errors of the AddChatappPhoneNumber page (cams-api.md §1.3), as the official clients observe
 * them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, sdkError, startServer, type TestServer } from '../support/server.js';
import { addRequest, expectSdkError, otherAccount, phoneRows, phoneSequence, ramUser } from './helpers.js';

let s: TestServer;
const phone = phoneSequence(100);
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

describe('seed-page errors of AddChatappPhoneNumber', () => {
  it('Product.Unsubscript for a key of an unsubscribed account', async () => {
    const unsubscribed = await otherAccount(s, 'unsubscribed', false);
    const err = await sdkError(
      camsClient(s, unsubscribed).addChatappPhoneNumber(addRequest(unsubscribed.custSpaceId, phone())),
    );
    expectSdkError(err, 'Product.Unsubscript', 400, 'You have not subscribed to the specified product.');
    expect(err.message).toContain('Product.Unsubscript');
    expect(await phoneRows(s, unsubscribed.accountId)).toEqual([]);
  });

  it('Ram.PermissionDeny with an ImplicitDeny AccessDeniedDetail for a RAM user without policies', async () => {
    const user = await ramUser(s, s.root.accountId, 'nopolicies', []);
    const before = await phoneRows(s);
    const err = await sdkError(
      camsClient(s, user).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expectSdkError(err, 'Ram.PermissionDeny', 400, 'You are not authorized to perform the operation.');
    const expected = {
      AuthAction: 'cams:AddChatappPhoneNumber',
      AuthPrincipalType: 'SubUser',
      AuthPrincipalOwnerId: s.root.accountId,
      AuthPrincipalDisplayName: user.userId,
      PolicyType: 'AccountLevelIdentityBasedPolicy',
      NoPermissionType: 'ImplicitDeny',
    };
    expect(err.accessDeniedDetail).toMatchObject(expected);
    expect(err.data?.AccessDeniedDetail).toMatchObject(expected);
    expect(await phoneRows(s)).toEqual(before);
  });

  it('System.LimitControl when more than 10 calls arrive in one burst', async () => {
    const burst = await otherAccount(s, 'burst');
    const client = camsClient(s, burst);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 16 }, () => client.addChatappPhoneNumber(addRequest(burst.custSpaceId, phone()))),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as never] : []));
    expect(ok.length).toBeLessThanOrEqual(10);
    expect(ok.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const err of refused)
      expectSdkError(err, 'System.LimitControl', 400, 'The system is under flow control.');
    expect((await phoneRows(s, burst.accountId)).length).toBe(ok.length);
  });

  describe('Unknown.ResourceOwnerId', () => {
    it('answers identically for a space of another account and a space that does not exist', async () => {
      const other = await otherAccount(s, 'owner');
      const before = await phoneRows(s);
      const client = camsClient(s, s.root);
      const foreign = await sdkError(client.addChatappPhoneNumber(addRequest(other.custSpaceId, phone())));
      const missing = await sdkError(client.addChatappPhoneNumber(addRequest('cams-doesnotexist', phone())));
      for (const err of [foreign, missing]) {
        expectSdkError(
          err,
          'Unknown.ResourceOwnerId',
          400,
          'The resource does not belong to the current user.',
        );
      }
      const shape = (e: typeof foreign) => ({
        code: e.code,
        status: e.data?.statusCode,
        message: e.data?.Message,
      });
      expect(shape(foreign)).toEqual(shape(missing));
      expect(foreign.data?.RequestId).not.toBe(missing.data?.RequestId);
      expect(await phoneRows(s)).toEqual(before);
    });
  });
});
