/**
 * Meta errors injected through the operator endpoint (POST /_admin/faults) on each upstream operation the
 * actions use: the SDK sees the mapped catalogued code with Meta's code in the message, a fault applies
 * as often as asked, and it stays within its scope. Also the operator endpoint's own access control.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CamsModels, startServer, type TestServer } from '../support/server.js';
import {
  add,
  admin,
  advance,
  client,
  deregister,
  e164,
  expectError,
  NAME_REVIEW_MS,
  newSpace,
  numbers,
  onboard,
  OPERATOR_TOKEN,
  outbox,
  query,
  queryOne,
  readCode,
  register,
  requestCode,
  verificationStatus,
  verifyAndRegister,
  type Client,
} from './helpers.js';

let s: TestServer;
let c: Client;
const next = numbers(300);

beforeAll(async () => {
  // The reconciler is off: its background listPhoneNumbers calls would consume space-scoped faults.
  s = await startServer({ CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN, CAMS_SYNC_INTERVAL_MS: '0' });
  c = client(s, s.root);
});
afterEach(async () => {
  expect((await admin(s, 'DELETE', '/_admin/faults')).status).toBe(200);
});
afterAll(() => s.close());

interface FaultBody {
  operation: string;
  preset: string;
  phoneNumber?: string;
  custSpaceId?: string;
  times?: number | 'always';
}

/** POST /_admin/faults; the created fault. */
async function inject(body: FaultBody): Promise<{ id: string; remaining: number | 'always' }> {
  const res = await admin(s, 'POST', '/_admin/faults', body);
  expect(res.status).toBe(201);
  return res.body.Fault as { id: string; remaining: number | 'always' };
}

async function faults(): Promise<Array<{ id: string }>> {
  const res = await admin(s, 'GET', '/_admin/faults');
  expect(res.status).toBe(200);
  return res.body.Faults as Array<{ id: string }>;
}

/** A fresh space with one added number (not yet verified). */
async function added(name: string): Promise<{ space: string; pn: string }> {
  const space = await newSpace(s, s.root.accountId, name);
  const national = next();
  await add(c, space, national);
  return { space, pn: e164(national) };
}

/** A fresh space with one CONNECTED number. */
async function connected(name: string): Promise<{ space: string; pn: string }> {
  const space = await newSpace(s, s.root.accountId, name);
  const { phoneNumber } = await onboard(s, c, space, next());
  return { space, pn: phoneNumber };
}

describe('one injected Meta error per upstream operation, applied once', () => {
  it('createPhoneNumber (AddChatappPhoneNumber): 2 -> Upstream.Unavailable 503', async () => {
    const space = await newSpace(s, s.root.accountId, 'create');
    const national = next();
    await inject({ operation: 'createPhoneNumber', preset: '2', phoneNumber: e164(national) });
    await expectError(add(c, space, national), 'Upstream.Unavailable', 503, 'WhatsApp error 2');
    expect(await query(c, space)).toEqual([]);
    await add(c, space, national);
    expect((await queryOne(c, space, e164(national)))?.status).toBe('PENDING');
  });

  it('requestCode (GetChatappVerifyCode): 136024 -> PhoneNumber.RequestCodeFailed 400', async () => {
    const { space, pn } = await added('request code');
    await inject({ operation: 'requestCode', preset: '136024', phoneNumber: pn });
    await expectError(
      requestCode(c, space, pn),
      'PhoneNumber.RequestCodeFailed',
      400,
      'WhatsApp error 136024',
    );
    expect(await outbox(s, pn)).toEqual([]);
    await requestCode(c, space, pn);
    expect(await outbox(s, pn)).toHaveLength(1);
  });

  it('verifyCode (ChatappVerifyAndRegister): 190 -> Upstream.TokenInvalid 502', async () => {
    const { space, pn } = await added('verify code');
    await requestCode(c, space, pn);
    const code = await readCode(s, pn);
    await advance(s, NAME_REVIEW_MS);
    await inject({ operation: 'verifyCode', preset: '190', phoneNumber: pn });
    await expectError(
      verifyAndRegister(c, space, pn, code),
      'Upstream.TokenInvalid',
      502,
      'WhatsApp error 190',
    );
    expect(await queryOne(c, space, pn)).toMatchObject({
      status: 'PENDING',
      codeVerificationStatus: 'NOT_VERIFIED',
    });
    await verifyAndRegister(c, space, pn, code);
    expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
  });

  it('register: 133005 -> PhoneNumber.PinMismatch, 133016 -> PhoneNumber.RegisterLimit', async () => {
    const { space, pn } = await added('register');
    await requestCode(c, space, pn);
    const code = await readCode(s, pn);
    await advance(s, NAME_REVIEW_MS);
    await inject({ operation: 'register', preset: '133005', phoneNumber: pn });
    await expectError(
      verifyAndRegister(c, space, pn, code),
      'PhoneNumber.PinMismatch',
      400,
      'WhatsApp error 133005',
    );
    // The code was verified, the register failed.
    expect(await queryOne(c, space, pn)).toMatchObject({
      status: 'PENDING',
      codeVerificationStatus: 'VERIFIED',
    });
    await inject({ operation: 'register', preset: '133016', phoneNumber: pn });
    await expectError(register(c, space, pn), 'PhoneNumber.RegisterLimit', 400, 'WhatsApp error 133016');
    expect((await queryOne(c, space, pn))?.status).toBe('PENDING');
    await register(c, space, pn);
    expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
  });

  it('deregister (ChatappPhoneNumberDeregister): 80008 -> Upstream.RateLimited 503', async () => {
    const { space, pn } = await connected('deregister');
    await inject({ operation: 'deregister', preset: '80008', phoneNumber: pn });
    await expectError(deregister(c, space, pn), 'Upstream.RateLimited', 503, 'WhatsApp error 80008');
    expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
    await deregister(c, space, pn);
    expect((await queryOne(c, space, pn))?.status).toBe('DISCONNECTED');
  });

  it('getPhoneNumber (GetPhoneNumberVerificationStatus): 2 -> Upstream.Unavailable 503', async () => {
    const { space, pn } = await added('get number');
    await inject({ operation: 'getPhoneNumber', preset: '2', phoneNumber: pn });
    await expectError(verificationStatus(c, space, pn), 'Upstream.Unavailable', 503, 'WhatsApp error 2');
    expect(await verificationStatus(c, space, pn)).toMatchObject({
      codeVerificationStatus: 'NOT_VERIFIED',
      phoneNumber: pn,
    });
  });

  it('listPhoneNumbers (ChatappSyncPhoneNumber), scoped to the space: 80008 -> Upstream.RateLimited 503', async () => {
    const { space, pn } = await added('list numbers');
    await inject({ operation: 'listPhoneNumbers', preset: '80008', custSpaceId: space });
    const sync = () =>
      c.chatappSyncPhoneNumber(new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: space }));
    await expectError(sync(), 'Upstream.RateLimited', 503, 'WhatsApp error 80008');
    expect((await query(c, space)).map((n) => n.phoneNumber)).toEqual([pn]);
    expect((await sync()).body?.phoneNumbers?.map((n) => n.phoneNumber)).toEqual([pn]);
  });

  it('getBusinessProfile (QueryPhoneBusinessProfile): 190 -> Upstream.TokenInvalid 502', async () => {
    const { space, pn } = await added('get profile');
    await inject({ operation: 'getBusinessProfile', preset: '190', phoneNumber: pn });
    const read = () =>
      c.queryPhoneBusinessProfile(
        new CamsModels.QueryPhoneBusinessProfileRequest({ custSpaceId: space, phoneNumber: pn }),
      );
    await expectError(read(), 'Upstream.TokenInvalid', 502, 'WhatsApp error 190');
    expect((await read()).body?.code).toBe('OK');
  });

  it('updateBusinessProfile (ModifyPhoneBusinessProfile): 2 -> Upstream.Unavailable 503, nothing changed', async () => {
    const { space, pn } = await added('update profile');
    const ref = { custSpaceId: space, phoneNumber: pn };
    const modify = () =>
      c.modifyPhoneBusinessProfile(
        new CamsModels.ModifyPhoneBusinessProfileRequest({ ...ref, about: 'After' }),
      );
    const about = async () =>
      (await c.queryPhoneBusinessProfile(new CamsModels.QueryPhoneBusinessProfileRequest(ref))).body?.data
        ?.about ?? '';
    await inject({ operation: 'updateBusinessProfile', preset: '2', phoneNumber: pn });
    await expectError(modify(), 'Upstream.Unavailable', 503, 'WhatsApp error 2');
    expect(await about()).toBe('');
    await modify();
    expect(await about()).toBe('After');
  });

  it('getWaba (QueryChatappBindWaba), scoped to the space: 190 -> Upstream.TokenInvalid 502', async () => {
    const space = await newSpace(s, s.root.accountId, 'get waba');
    await inject({ operation: 'getWaba', preset: '190', custSpaceId: space });
    const read = () =>
      c.queryChatappBindWaba(new CamsModels.QueryChatappBindWabaRequest({ custSpaceId: space }));
    // Another space's WABA is not affected.
    const other = await c.queryChatappBindWaba(
      new CamsModels.QueryChatappBindWabaRequest({ custSpaceId: s.root.custSpaceId }),
    );
    expect(other.body?.code).toBe('OK');
    await expectError(read(), 'Upstream.TokenInvalid', 502, 'WhatsApp error 190');
    expect((await read()).body?.data?.id).toMatch(/^\d+$/);
  });
});

describe('how often and where a fault applies', () => {
  it("times 'always' keeps failing until DELETE /_admin/faults", async () => {
    const { space, pn } = await added('always');
    const fault = await inject({ operation: 'requestCode', preset: '2', phoneNumber: pn, times: 'always' });
    expect(fault.remaining).toBe('always');
    for (let i = 0; i < 3; i++) {
      await expectError(requestCode(c, space, pn), 'Upstream.Unavailable', 503, 'WhatsApp error 2');
    }
    expect((await faults()).map((f) => f.id)).toEqual([fault.id]);
    const cleared = await admin(s, 'DELETE', '/_admin/faults');
    expect(cleared).toEqual({ status: 200, body: { Cleared: 1 } });
    await requestCode(c, space, pn);
    expect(await outbox(s, pn)).toHaveLength(1);
  });

  it('times 2 fails twice, then the call succeeds', async () => {
    const { space, pn } = await added('twice');
    await inject({ operation: 'getPhoneNumber', preset: '80008', phoneNumber: pn, times: 2 });
    await expectError(verificationStatus(c, space, pn), 'Upstream.RateLimited', 503, 'WhatsApp error 80008');
    await expectError(verificationStatus(c, space, pn), 'Upstream.RateLimited', 503, 'WhatsApp error 80008');
    expect((await verificationStatus(c, space, pn)).codeVerificationStatus).toBe('NOT_VERIFIED');
    expect(await faults()).toEqual([]);
  });

  it('a fault scoped to one number does not affect another number', async () => {
    const { space, pn } = await added('scoped');
    const national = next();
    const other = e164(national);
    await add(c, space, national);
    const fault = await inject({
      operation: 'requestCode',
      preset: '136024',
      phoneNumber: pn,
      times: 'always',
    });
    await requestCode(c, space, other);
    expect(await outbox(s, other)).toHaveLength(1);
    await expectError(
      requestCode(c, space, pn),
      'PhoneNumber.RequestCodeFailed',
      400,
      'WhatsApp error 136024',
    );
    expect(await outbox(s, pn)).toEqual([]);
    // DELETE /_admin/faults/<id> removes just that one.
    expect(await admin(s, 'DELETE', `/_admin/faults/${fault.id}`)).toEqual({
      status: 200,
      body: { Cleared: 1 },
    });
    await requestCode(c, space, pn);
    expect(await outbox(s, pn)).toHaveLength(1);
  });

  it("a fault scoped to a space hits that space's numbers only", async () => {
    const a = await added('space a');
    const b = await added('space b');
    await inject({ operation: 'requestCode', preset: '2', custSpaceId: a.space, times: 'always' });
    await requestCode(c, b.space, b.pn);
    await expectError(requestCode(c, a.space, a.pn), 'Upstream.Unavailable', 503, 'WhatsApp error 2');
    expect(await outbox(s, a.pn)).toEqual([]);
    expect(await outbox(s, b.pn)).toHaveLength(1);
  });
});

describe('the operator endpoint', () => {
  it('answers 401 without a token or with a wrong one, and changes nothing', async () => {
    const body = { operation: 'requestCode', preset: '2' };
    const offset = async () => (await admin(s, 'GET', '/_admin/clock')).body.offsetMs;
    const before = await offset();
    for (const token of [null, 'wrong-token-0123456789', `${OPERATOR_TOKEN}x`]) {
      for (const [method, path, b] of [
        ['GET', '/_admin/outbox', undefined],
        ['GET', '/_admin/faults', undefined],
        ['POST', '/_admin/faults', body],
        ['DELETE', '/_admin/faults', undefined],
        ['POST', '/_admin/clock', { advanceSeconds: 60 }],
      ] as const) {
        const res = await admin(s, method, path, b, token);
        expect({ method, path, token, status: res.status, code: res.body.Code }).toEqual({
          method,
          path,
          token,
          status: 401,
          code: 'Unauthorized',
        });
      }
    }
    expect(await faults()).toEqual([]);
    expect(await offset()).toBe(before);
  });

  it('refuses an unknown preset or operation with 400', async () => {
    const bad = await admin(s, 'POST', '/_admin/faults', { operation: 'requestCode', preset: '999999' });
    expect(bad.status).toBe(400);
    expect(bad.body.Message).toContain('999999');
    const op = await admin(s, 'POST', '/_admin/faults', { operation: 'sendMessage', preset: '2' });
    expect(op.status).toBe(400);
    expect(op.body.Message).toContain('sendMessage');
    expect(await faults()).toEqual([]);
  });

  it('does not exist (404) when no operator token is configured', async () => {
    const bare = await startServer({ CAMS_SYNC_INTERVAL_MS: '0' });
    try {
      for (const token of [null, OPERATOR_TOKEN]) {
        const outboxRes = await admin(bare, 'GET', '/_admin/outbox', undefined, token);
        expect(outboxRes.status).toBe(404);
        const faultRes = await admin(
          bare,
          'POST',
          '/_admin/faults',
          { operation: 'requestCode', preset: '2' },
          token,
        );
        expect(faultRes.status).toBe(404);
      }
      expect(await bare.app.simulator.listFaults()).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});
