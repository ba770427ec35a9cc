/**
 * A whole onboarding through the official SDK, step by step (each `it` continues where the previous one
 * stopped, like a customer would): add, code by SMS and by voice, verify and register, business profile,
 * deregister and register again, sync, WABAs, App ID, metrics, pre-validation, and the operator CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { CamsModels, startServer, type TestServer } from '../support/server.js';
import {
  add,
  admin,
  client,
  deregister,
  e164,
  expectError,
  outbox,
  query,
  queryOne,
  readCode,
  register,
  requestCode,
  verificationStatus,
  verifyAndRegister,
  advance,
  NAME_REVIEW_MS,
  OPERATOR_TOKEN,
  type Client,
} from './helpers.js';

let s: TestServer;
let c: Client;
let space: string;
const A = e164('13800130100'); // by SMS
const B = e164('13800130101'); // by voice
const C = '13800130102'; // on the newly bound WABA
const NEW_WABA = '880000000000123';
const codes: Record<string, string> = {};
let newSpace: string;
let rootWaba: string;

beforeAll(async () => {
  // The reconciler is off so every state change seen here comes from the call under test.
  s = await startServer({ CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN, CAMS_SYNC_INTERVAL_MS: '0' });
  c = client(s, s.root);
  space = s.root.custSpaceId;
});
afterAll(() => s.close());

describe.sequential('onboarding through the SDK', () => {
  it('adds a number, sends its code by SMS and verifies and registers it', async () => {
    const added = await add(c, space, '13800130100');
    expect(added.body).toMatchObject({ code: 'OK' });
    const before = await queryOne(c, space, A);
    expect(before).toMatchObject({ status: 'PENDING', codeVerificationStatus: 'NOT_VERIFIED' });
    expect(await verificationStatus(c, space, A)).toMatchObject({
      codeVerificationStatus: 'NOT_VERIFIED',
      phoneNumber: A,
    });

    await requestCode(c, space, A, 'sms', 'zh_CN');
    const messages = await outbox(s, A);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ e164: A, method: 'SMS', language: 'zh_CN' });
    expect(messages[0]!.code).toMatch(/^\d{6}$/);
    codes[A] = messages[0]!.code;

    // The display-name review takes 5 s of simulator time; register only after it decided.
    await advance(s, NAME_REVIEW_MS);
    const res = await verifyAndRegister(c, space, A, codes[A]);
    expect(res.body?.code).toBe('OK');

    expect(await verificationStatus(c, space, A)).toMatchObject({ codeVerificationStatus: 'VERIFIED' });
    expect(await queryOne(c, space, A)).toMatchObject({
      phoneNumber: A,
      verifiedName: 'Alibaba Cloud',
      status: 'CONNECTED',
      nameStatus: 'Approval',
      codeVerificationStatus: 'VERIFIED',
      qualityRating: 'GREEN',
    });
  });

  it('onboards a second number with the code sent by voice', async () => {
    await add(c, space, '13800130101');
    await requestCode(c, space, B, 'voice', 'en_US');
    const messages = await outbox(s, B);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ e164: B, method: 'VOICE', language: 'en_US' });
    codes[B] = await readCode(s, B);
    await advance(s, NAME_REVIEW_MS);
    await verifyAndRegister(c, space, B, codes[B]);
    expect(await queryOne(c, space, B)).toMatchObject({
      status: 'CONNECTED',
      codeVerificationStatus: 'VERIFIED',
    });
    // A's code was not touched by B's.
    expect(await outbox(s, A)).toHaveLength(1);
  });

  it('reads, modifies and reads back the business profile', async () => {
    const ref = { custSpaceId: space, phoneNumber: A };
    const empty = await c.queryPhoneBusinessProfile(new CamsModels.QueryPhoneBusinessProfileRequest(ref));
    expect(empty.body?.code).toBe('OK');
    const profile = {
      about: 'Cloud services',
      address: 'No. 969 West Wen Yi Road, Hangzhou',
      description: 'Alibaba Cloud customer service',
      email: 'service@example.com',
      vertical: 'PROF_SERVICES',
      websites: ['https://www.alibabacloud.com', 'https://example.com/help'],
    };
    const modified = await c.modifyPhoneBusinessProfile(
      new CamsModels.ModifyPhoneBusinessProfileRequest({ ...ref, ...profile }),
    );
    expect(modified.body?.code).toBe('OK');
    const read = await c.queryPhoneBusinessProfile(new CamsModels.QueryPhoneBusinessProfileRequest(ref));
    expect(read.body?.data).toMatchObject(profile);
    // B's profile is its own.
    const other = await c.queryPhoneBusinessProfile(
      new CamsModels.QueryPhoneBusinessProfileRequest({ custSpaceId: space, phoneNumber: B }),
    );
    expect(other.body?.data?.about ?? '').toBe('');
  });

  it('deregisters a number and registers it again with the PIN the service kept', async () => {
    await deregister(c, space, A);
    const after = await queryOne(c, space, A);
    expect(after?.status).not.toBe('CONNECTED');
    expect(after?.status).toBe('DISCONNECTED');
    // No 133005: the service presents the PIN it set on the first register.
    const res = await register(c, space, A);
    expect(res.body?.code).toBe('OK');
    expect(await queryOne(c, space, A)).toMatchObject({
      status: 'CONNECTED',
      codeVerificationStatus: 'VERIFIED',
    });
  });

  it('ChatappSyncPhoneNumber returns the same numbers as QueryChatappPhoneNumbers', async () => {
    const synced = await c.chatappSyncPhoneNumber(
      new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: space }),
    );
    expect(synced.body?.code).toBe('OK');
    const byNumber = (list: Array<{ phoneNumber?: string }>) =>
      [...list].sort((x, y) => String(x.phoneNumber).localeCompare(String(y.phoneNumber)));
    const queried = await query(c, space);
    expect(queried.map((n) => n.phoneNumber).sort()).toEqual([A, B]);
    expect(byNumber(synced.body?.phoneNumbers ?? [])).toEqual(byNumber(queried));
  });

  it("QueryChatappBindWaba returns the space's WABA, ChatappBindWaba makes a new usable space", async () => {
    const bound = await c.queryChatappBindWaba(
      new CamsModels.QueryChatappBindWabaRequest({ custSpaceId: space }),
    );
    expect(bound.body?.code).toBe('OK');
    expect(bound.body?.data).toMatchObject({ accountReviewStatus: 'APPROVED', currency: 'USD' });
    rootWaba = bound.body!.data!.id!;
    expect(rootWaba).toMatch(/^\d+$/);

    // The WABA must exist upstream first: the operator creates it in the simulator.
    expect((await admin(s, 'POST', '/_admin/wabas', { name: 'New shop', wabaId: NEW_WABA })).status).toBe(
      201,
    );
    const res = await c.chatappBindWaba(new CamsModels.ChatappBindWabaRequest({ wabaId: NEW_WABA }));
    expect(res.body?.code).toBe('OK');
    expect(res.body?.data?.wabaId).toBe(NEW_WABA);
    newSpace = res.body!.data!.custSpaceId!;
    expect(newSpace).toBeTruthy();
    expect(newSpace).not.toBe(space);

    const q = await c.queryChatappBindWaba(
      new CamsModels.QueryChatappBindWabaRequest({ custSpaceId: newSpace }),
    );
    expect(q.body?.data?.id).toBe(NEW_WABA);
    await add(c, newSpace, C);
    expect((await query(c, newSpace)).map((n) => n.phoneNumber)).toEqual([e164(C)]);
    expect((await query(c, space)).map((n) => n.phoneNumber).sort()).toEqual([A, B]);
  });

  it("IsvGetAppId returns the simulator's App ID and configuration ID, marked as the simulator's", async () => {
    const res = await c.isvGetAppId(new CamsModels.IsvGetAppIdRequest({ type: 'whatsapp' }));
    expect(res.body?.code).toBe('OK');
    expect(res.body?.appId).toMatch(/^sim-app-\d+$/);
    expect(res.body?.configId).toMatch(/^sim-config-\d+$/);
  });

  it('GetChatappPhoneNumberMetric returns one zero entry per number', async () => {
    const start = Date.UTC(2026, 0, 1);
    const end = Date.UTC(2026, 0, 8);
    const res = await c.getChatappPhoneNumberMetric(
      new CamsModels.GetChatappPhoneNumberMetricRequest({
        custSpaceId: space,
        start,
        end,
        granularity: 'DAILY',
      }),
    );
    expect(res.body?.code).toBe('OK');
    const data = [...(res.body?.data ?? [])].sort((x, y) =>
      String(x.phoneNumber).localeCompare(String(y.phoneNumber)),
    );
    expect(data).toEqual(
      [A, B].map((phoneNumber) => ({
        phoneNumber,
        granularity: 'DAILY',
        start,
        end,
        sentCount: 0,
        deliveredCount: 0,
      })),
    );
  });

  it('ChatappEmbedSignUp lists the WABAs bound to the account', async () => {
    const res = await c.chatappEmbedSignUp(
      new CamsModels.ChatappEmbedSignUpRequest({ inputToken: 'embedded-token' }),
    );
    expect(res.body?.code).toBe('OK');
    expect((res.body?.wabas ?? []).map((w) => w.id).sort()).toEqual([rootWaba, NEW_WABA].sort());
  });

  it("GetPreValidatePhoneId with a new code returns the number's upstream ID; the used code is refused", async () => {
    const { id } = await verificationStatus(c, space, A);
    expect(id).toMatch(/^\d+$/);
    // A code verifies once (whatsapp-upstream.md §1.5): the one ChatappVerifyAndRegister used is spent.
    await expectError(
      c.getPreValidatePhoneId(
        new CamsModels.GetPreValidatePhoneIdRequest({ phoneNumber: A, verifyCode: codes[A] }),
      ),
      'PhoneNumber.VerifyCodeFailed',
      400,
      '136025',
      'already used',
    );
    await requestCode(c, space, A, 'sms', 'zh_CN');
    const res = await c.getPreValidatePhoneId(
      new CamsModels.GetPreValidatePhoneIdRequest({ phoneNumber: A, verifyCode: await readCode(s, A) }),
    );
    expect(res.body?.code).toBe('OK');
    expect(res.body?.data).toEqual({ phoneNumber: A, phoneNumberId: id });
  });

  it('the operator CLI lists the same codes while the server runs', async () => {
    let out = '';
    let err = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
    const code = await runCli(['--data-dir', s.dataDir, 'sim', 'outbox', '--json'], io, {});
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const messages = JSON.parse(out) as Array<{ e164: string; code: string; method: string }>;
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ e164: A, code: codes[A], method: 'SMS' }),
        expect.objectContaining({ e164: B, code: codes[B], method: 'VOICE' }),
      ]),
    );
    expect(messages.map((m) => m.code)).toEqual((await outbox(s, '')).map((m) => m.code));
  });
});
