import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  camsClient,
  CamsModels,
  popClient,
  sdkError,
  startServer,
  type TestServer,
} from '../support/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

const add = (custSpaceId: string, phoneNumber: string, extra: Record<string, string> = {}) =>
  new CamsModels.AddChatappPhoneNumberRequest({
    custSpaceId,
    cc: '86',
    phoneNumber,
    verifiedName: 'Alibaba Cloud',
    ...extra,
  });

// The CAMS client casts bodies into camelCase models; pop-core hands back the wire JSON.
const wire = (body: { code?: string; requestId?: string } | undefined) => ({
  Code: body?.code,
  RequestId: body?.requestId,
});

describe('AddChatappPhoneNumber then QueryChatappPhoneNumbers through every official client', () => {
  const cases: Array<[string, (phone: string) => Promise<{ Code?: string; RequestId?: string }>]> = [
    [
      '@alicloud/cams20200606 V3 (default)',
      async (phone) =>
        wire((await camsClient(s, s.root).addChatappPhoneNumber(add(s.root.custSpaceId, phone))).body),
    ],
    [
      '@alicloud/cams20200606 V1 (signatureAlgorithm v2)',
      async (phone) =>
        wire((await camsClient(s, s.root, 'v2').addChatappPhoneNumber(add(s.root.custSpaceId, phone))).body),
    ],
    [
      '@alicloud/pop-core GET',
      (phone) =>
        popClient(s, s.root).request('AddChatappPhoneNumber', {
          CustSpaceId: s.root.custSpaceId,
          Cc: '86',
          PhoneNumber: phone,
          VerifiedName: 'Alibaba Cloud',
        }) as never,
    ],
    [
      '@alicloud/pop-core POST',
      (phone) =>
        popClient(s, s.root).request(
          'AddChatappPhoneNumber',
          { CustSpaceId: s.root.custSpaceId, Cc: '86', PhoneNumber: phone, VerifiedName: 'Alibaba Cloud' },
          { method: 'POST' },
        ) as never,
    ],
  ];

  cases.forEach(([name, call], i) => {
    it(name, async () => {
      const phone = `1380013800${i}`;
      const body = await call(phone);
      expect(body.Code).toBe('OK');
      expect(body.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);

      const query = await camsClient(s, s.root).queryChatappPhoneNumbers(
        new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
      );
      const found = query.body?.phoneNumbers?.find((n) => n.phoneNumber === `86${phone}`);
      expect(found).toMatchObject({
        phoneNumber: `86${phone}`,
        verifiedName: 'Alibaba Cloud',
        status: 'PENDING',
        codeVerificationStatus: 'NOT_VERIFIED',
        nameStatus: 'Pending_Review',
        qualityRating: 'UNKNOWN',
      });
    });
  });

  it('answers the documented success envelope', async () => {
    const res = await camsClient(s, s.root).addChatappPhoneNumberWithOptions(
      add(s.root.custSpaceId, '13800138010'),
      {} as never,
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ code: 'OK', accessDeniedDetail: 'None' });
  });

  it('refuses a duplicate number and changes nothing', async () => {
    const client = camsClient(s, s.root);
    await client.addChatappPhoneNumber(add(s.root.custSpaceId, '13800138020'));
    const before = await client.queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
    );
    const err = await sdkError(
      client.addChatappPhoneNumber(add(s.root.custSpaceId, '13800138020', { verifiedName: 'Other Name' })),
    );
    expect(err.code).toBe('PhoneNumber.Exists');
    expect(err.data?.statusCode).toBe(400);
    const after = await client.queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
    );
    expect(after.body?.phoneNumbers).toEqual(before.body?.phoneNumbers);
  });
});
