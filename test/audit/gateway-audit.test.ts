/**
 * The gateway's audit trail through the official SDKs against a listening server: every write
 * (whatever its Code), every denial and every authentication failure that names a key is recorded
 * with who, what, which resource, the result and where from; a read is not; nothing kept is a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  camsClient,
  CamsModels,
  popClient,
  sdkError,
  startServer,
  type Credentials,
  type TestServer,
} from '../support/server.js';
import { addRequest, phoneSequence, popError, ramUser, UUID } from '../wire/helpers.js';
import { auditEvents, auditRows } from './helpers.js';

let s: TestServer;
const phone = phoneSequence(700);
const secrets: string[] = [];
let full: Credentials & { userId: string };
let readOnly: Credentials & { userId: string };

beforeAll(async () => {
  s = await startServer({ CAMS_SYNC_INTERVAL_MS: '0' });
  full = await ramUser(s, s.root.accountId, 'alice', ['AliyunCamsFullAccess']);
  readOnly = await ramUser(s, s.root.accountId, 'reader', ['AliyunCamsReadOnlyAccess']);
  secrets.push(s.root.accessKeySecret, full.accessKeySecret, readOnly.accessKeySecret);
});
afterAll(() => s.close());

/** The events recorded for one RequestId (the one the SDK saw). */
async function eventOf(requestId: string) {
  return (await auditEvents(s)).filter((e) => e.requestId === requestId);
}

describe('the gateway records writes and denials', () => {
  it('an Add by a RAM user: time, RequestId, account, identity, AccessKeyId, action, resource, Code, source IP', async () => {
    const before = Date.now();
    const national = phone();
    const res = await camsClient(s, full).addChatappPhoneNumber(addRequest(s.root.custSpaceId, national));
    expect(res.body?.code).toBe('OK');
    const requestId = res.body!.requestId!;
    const [event, ...more] = await eventOf(requestId);
    expect(more).toEqual([]);
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
      at: expect.any(String),
      requestId,
      accountId: s.root.accountId,
      identity: 'ram:alice',
      accessKeyId: full.accessKeyId,
      action: 'AddChatappPhoneNumber',
      custSpaceId: s.root.custSpaceId,
      phoneNumber: `86${national}`,
      code: 'OK',
      sourceIp: '127.0.0.1',
    });
    expect(requestId).toMatch(UUID);
    expect(Date.parse(event!.at)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(event!.at)).toBeLessThanOrEqual(Date.now());
  });

  it('a write that fails is recorded with its Code (V1, pop-core, root key)', async () => {
    const err = await popError(
      popClient(s, s.root).request(
        'AddChatappPhoneNumber',
        { CustSpaceId: 'cams-nosuchspace', Cc: '86', PhoneNumber: phone(), VerifiedName: 'Alibaba Cloud' },
        { method: 'POST' },
      ),
    );
    const [event] = await eventOf(err.data.RequestId as string);
    expect(event).toMatchObject({
      identity: 'root',
      accountId: s.root.accountId,
      accessKeyId: s.root.accessKeyId,
      custSpaceId: 'cams-nosuchspace',
      code: err.code,
    });
    expect(err.code).not.toBe('OK');
  });

  it('a RAM denial is recorded: Ram.PermissionDeny of a read-only user', async () => {
    const err = await sdkError(
      camsClient(s, readOnly).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expect(err.code).toBe('Ram.PermissionDeny');
    const [event] = await eventOf(err.data!.RequestId as string);
    expect(event).toMatchObject({
      identity: 'ram:reader',
      accessKeyId: readOnly.accessKeyId,
      action: 'AddChatappPhoneNumber',
      code: 'Ram.PermissionDeny',
    });
  });

  it('a denied read is recorded; a read that succeeds is not', async () => {
    const denied = await sdkError(
      camsClient(s, readOnly).queryChatappPhoneNumbers(
        new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
      ),
    );
    expect(denied.code).toBe('Ram.PermissionDeny');
    expect(await eventOf(denied.data!.RequestId as string)).toHaveLength(1);

    const count = (await auditEvents(s)).length;
    const ok = await camsClient(s, full).queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
    );
    expect(ok.body?.code).toBe('OK');
    expect(await eventOf(ok.body!.requestId!)).toEqual([]);
    expect(await auditEvents(s)).toHaveLength(count);
  });

  it('a wrong signature with a real key is recorded with the key and its account', async () => {
    const wrong = { accessKeyId: full.accessKeyId, accessKeySecret: `${full.accessKeySecret}x` };
    const err = await sdkError(
      camsClient(s, wrong).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expect(err.code).toBe('SignatureDoesNotMatch');
    const [event] = await eventOf(err.data!.RequestId as string);
    expect(event).toMatchObject({
      accountId: s.root.accountId,
      identity: 'ram:alice',
      accessKeyId: full.accessKeyId,
      action: 'AddChatappPhoneNumber',
      code: 'SignatureDoesNotMatch',
    });
  });

  it('an expired timestamp and a disabled key are recorded; so is an unknown key id, without an account', async () => {
    s.clock.offsetMs = 20 * 60_000; // the server is 20 minutes ahead of the client
    try {
      const expired = await sdkError(
        camsClient(s, full).queryChatappPhoneNumbers(new CamsModels.QueryChatappPhoneNumbersRequest({})),
      );
      expect(expired.code).toBe('InvalidTimeStamp.Expired');
      expect((await eventOf(expired.data!.RequestId as string))[0]).toMatchObject({
        accessKeyId: full.accessKeyId,
        accountId: s.root.accountId,
        code: 'InvalidTimeStamp.Expired',
      });
    } finally {
      s.clock.offsetMs = 0;
    }

    const spare = await s.app.iam.createAccessKey(s.root.accountId);
    await s.app.iam.setAccessKeyStatus(s.root.accountId, spare.accessKeyId, 'Inactive');
    secrets.push(spare.accessKeySecret);
    const inactive = await sdkError(
      camsClient(s, spare).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expect(inactive.code).toBe('InvalidAccessKeyId.Inactive');
    expect((await eventOf(inactive.data!.RequestId as string))[0]).toMatchObject({
      identity: 'root',
      accessKeyId: spare.accessKeyId,
      code: 'InvalidAccessKeyId.Inactive',
    });

    const unknown = { accessKeyId: 'LTAIunknownunknownunknow', accessKeySecret: 'x'.repeat(30) };
    const notFound = await sdkError(
      camsClient(s, unknown).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expect(notFound.code).toBe('InvalidAccessKeyId.NotFound');
    const [event] = await eventOf(notFound.data!.RequestId as string);
    expect(event).toMatchObject({ identity: 'unknown', accessKeyId: unknown.accessKeyId });
    expect(event!.accountId).toBeUndefined();
  });

  it('a secret pasted where the key id goes is not written down', async () => {
    const swapped = { accessKeyId: full.accessKeySecret, accessKeySecret: full.accessKeyId };
    const err = await sdkError(
      camsClient(s, swapped).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expect(err.code).toBe('InvalidAccessKeyId.NotFound');
    expect(await eventOf(err.data!.RequestId as string)).toEqual([]);
  });

  it('System.LimitControl is not recorded; every other answer of a write burst is', async () => {
    const before = (await auditEvents(s)).length;
    const client = camsClient(s, s.root);
    // 30 Adds at once against 10 per second: some pass flow control, the rest are refused by it.
    const codes = await Promise.all(
      Array.from({ length: 30 }, () =>
        client.addChatappPhoneNumber(addRequest(s.root.custSpaceId, '1')).then(
          () => 'OK',
          (e: { code: string }) => e.code,
        ),
      ),
    );
    const limited = codes.filter((c) => c === 'System.LimitControl').length;
    expect(limited).toBeGreaterThan(0);
    const recorded = (await auditEvents(s)).slice(before);
    expect(recorded).toHaveLength(30 - limited);
    expect(recorded.map((e) => e.code)).not.toContain('System.LimitControl');
  });

  it('nothing stored is a secret: no AccessKeySecret, no signature', async () => {
    const rows = await auditRows(s);
    expect(rows.length).toBeGreaterThan(5);
    const text = JSON.stringify(rows);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Signature=|ACS3-HMAC/);
    expect(Object.keys(rows[0]!).sort()).toEqual([
      'access_key_id',
      'account_id',
      'action',
      'at',
      'code',
      'cust_space_id',
      'id',
      'identity',
      'phone_number',
      'request_id',
      'source_ip',
    ]);
  });
});
