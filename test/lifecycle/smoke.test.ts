import { afterAll, beforeAll, expect, it } from 'vitest';
import { camsClient, CamsModels, startServer, type TestServer } from '../support/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ CAMS_OPERATOR_TOKEN: 'operator-token-0123456789' });
});
afterAll(() => s.close());

it('onboards a number', async () => {
  const c = camsClient(s, s.root);
  const space = s.root.custSpaceId;
  await c.addChatappPhoneNumber(new CamsModels.AddChatappPhoneNumberRequest({ custSpaceId: space, cc: '86', phoneNumber: '13800138000', verifiedName: 'Alibaba Cloud' }));
  await c.getChatappVerifyCode(new CamsModels.GetChatappVerifyCodeRequest({ custSpaceId: space, phoneNumber: '8613800138000', method: 'sms', locale: 'zh_CN' }));
  const res = await fetch(`http://${s.endpoint}/_admin/outbox?phoneNumber=8613800138000`, { headers: { authorization: 'Bearer operator-token-0123456789' } });
  const { Messages } = (await res.json()) as { Messages: Array<{ code: string }> };
  expect(Messages).toHaveLength(1);
  await s.app.simulator.advanceClock(10_000);
  await c.chatappVerifyAndRegister(new CamsModels.ChatappVerifyAndRegisterRequest({ custSpaceId: space, phoneNumber: '8613800138000', verifyCode: Messages[0]!.code }));
  const q = await c.queryChatappPhoneNumbers(new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: space }));
  expect(q.body?.phoneNumbers?.[0]).toMatchObject({ status: 'CONNECTED', nameStatus: 'Approval', codeVerificationStatus: 'VERIFIED' });
  const p = await c.queryPhoneBusinessProfile(new CamsModels.QueryPhoneBusinessProfileRequest({ custSpaceId: space, phoneNumber: '8613800138000' }));
  expect(p.body?.code).toBe('OK');
  await c.modifyPhoneBusinessProfile(new CamsModels.ModifyPhoneBusinessProfileRequest({ custSpaceId: space, phoneNumber: '8613800138000', about: 'Hello', websites: ['https://example.com'], vertical: 'RETAIL' }));
  const p2 = await c.queryPhoneBusinessProfile(new CamsModels.QueryPhoneBusinessProfileRequest({ custSpaceId: space, phoneNumber: '8613800138000' }));
  expect(p2.body?.data).toMatchObject({ about: 'Hello', websites: ['https://example.com'], vertical: 'RETAIL' });
  await c.chatappPhoneNumberDeregister(new CamsModels.ChatappPhoneNumberDeregisterRequest({ custSpaceId: space, phoneNumber: '8613800138000' }));
  const q2 = await c.queryChatappPhoneNumbers(new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: space }));
  expect(q2.body?.phoneNumbers?.[0]?.status).toBe('DISCONNECTED');
});
