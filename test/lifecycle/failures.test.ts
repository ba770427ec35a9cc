/**
 * Every failure path of the lifecycle, as an SDK user sees it (err.code, err.data.statusCode, the
 * message), and the state read back afterwards. Each test has its own customer space (so its own WABA
 * and number cap); simulator time only moves forward, so each test requests the codes it needs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import {
  add,
  advance,
  client,
  DAY,
  deregister,
  e164,
  expectError,
  HOUR,
  MINUTE,
  NAME_REVIEW_MS,
  newSpace,
  newTenant,
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
const next = numbers(200);

beforeAll(async () => {
  // The reconciler is off so every state change seen here comes from the call under test.
  s = await startServer({ CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN, CAMS_SYNC_INTERVAL_MS: '0' });
  c = client(s, s.root);
});
afterAll(() => s.close());

/** A fresh space of the root account with one added number that has a code waiting in the outbox. */
async function numberWithCode(name: string): Promise<{ space: string; pn: string; code: string }> {
  const space = await newSpace(s, s.root.accountId, name);
  const national = next();
  const pn = e164(national);
  await add(c, space, national);
  await requestCode(c, space, pn);
  return { space, pn, code: await readCode(s, pn) };
}

const wrong = (code: string) => `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;

/** Added and never registered: PENDING, NOT_VERIFIED. */
async function expectUnverified(space: string, pn: string): Promise<void> {
  expect(await queryOne(c, space, pn)).toMatchObject({
    status: 'PENDING',
    codeVerificationStatus: 'NOT_VERIFIED',
  });
  expect((await verificationStatus(c, space, pn)).codeVerificationStatus).toBe('NOT_VERIFIED');
}

it('a wrong code is PhoneNumber.VerifyCodeFailed and changes nothing; the right one then works', async () => {
  const { space, pn, code } = await numberWithCode('wrong code');
  await advance(s, NAME_REVIEW_MS);
  await expectError(
    verifyAndRegister(c, space, pn, wrong(code)),
    'PhoneNumber.VerifyCodeFailed',
    400,
    '136025',
  );
  await expectUnverified(space, pn);
  await verifyAndRegister(c, space, pn, code);
  expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
});

it('a malformed code (5 digits) is a 400 naming the code, not an upstream failure', async () => {
  const { space, pn, code } = await numberWithCode('malformed code');
  // Either catalogued 400 is fine; a 502 Upstream.Error would blame WhatsApp for the caller's input.
  await expectError(
    verifyAndRegister(c, space, pn, code.slice(0, 5)),
    /^(PhoneNumber\.VerifyCodeFailed|InvalidParameter)$/,
    400,
    /code/i,
  );
  await expectUnverified(space, pn);
});

it('a code used after its 10 minutes is PhoneNumber.VerifyCodeFailed saying it expired', async () => {
  const { space, pn, code } = await numberWithCode('expired code');
  await advance(s, 10 * MINUTE + 1000);
  await expectError(
    verifyAndRegister(c, space, pn, code),
    'PhoneNumber.VerifyCodeFailed',
    400,
    '136025',
    /expired/i,
  );
  await expectUnverified(space, pn);
  // A new code works.
  await requestCode(c, space, pn);
  const fresh = await readCode(s, pn);
  expect(fresh).not.toBe(code);
  await verifyAndRegister(c, space, pn, fresh);
  expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
});

it('registering before verification is PhoneNumber.NotVerified', async () => {
  const { space, pn } = await numberWithCode('not verified');
  await advance(s, NAME_REVIEW_MS);
  await expectError(register(c, space, pn), 'PhoneNumber.NotVerified', 400, '133006');
  await expectUnverified(space, pn);
});

it('registering before the display-name review decided is PhoneNumber.DisplayNameNotReady', async () => {
  const { space, pn, code } = await numberWithCode('name not ready');
  await expectError(verifyAndRegister(c, space, pn, code), 'PhoneNumber.DisplayNameNotReady', 400, '2388001');
  // The code was verified, the number is not registered.
  expect(await queryOne(c, space, pn)).toMatchObject({
    status: 'PENDING',
    codeVerificationStatus: 'VERIFIED',
  });
  await advance(s, NAME_REVIEW_MS);
  await register(c, space, pn);
  expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
});

it('a verification lapsed after 14 days: EXPIRED, and register is PhoneNumber.NotVerified', async () => {
  const space = await newSpace(s, s.root.accountId, 'lapsed');
  const { phoneNumber: pn } = await onboard(s, c, space, next());
  await deregister(c, space, pn);
  await advance(s, 14 * DAY + MINUTE);
  expect((await verificationStatus(c, space, pn)).codeVerificationStatus).toBe('EXPIRED');
  await expectError(register(c, space, pn), 'PhoneNumber.NotVerified', 400, '133006', /expired/i);
  expect(await queryOne(c, space, pn)).toMatchObject({
    status: 'DISCONNECTED',
    codeVerificationStatus: 'EXPIRED',
  });
  // Verifying again brings it back.
  await requestCode(c, space, pn);
  await verifyAndRegister(c, space, pn, await readCode(s, pn));
  expect(await queryOne(c, space, pn)).toMatchObject({
    status: 'CONNECTED',
    codeVerificationStatus: 'VERIFIED',
  });
});

it('a PIN changed upstream is PhoneNumber.PinMismatch with a message saying what to do', async () => {
  const space = await newSpace(s, s.root.accountId, 'pin');
  const { phoneNumber: pn } = await onboard(s, c, space, next());
  await deregister(c, space, pn);
  const { id } = await verificationStatus(c, space, pn);
  await s.app.simulator.setUpstreamPin(id!, '999999');
  await expectError(
    register(c, space, pn),
    'PhoneNumber.PinMismatch',
    400,
    '133005',
    // What to do: two-step verification was set outside this service; turn it off in WhatsApp Manager.
    /two-step verification/i,
    /WhatsApp Manager/i,
  );
  expect((await queryOne(c, space, pn))?.status).toBe('DISCONNECTED');
});

it('the 11th register in 72 hours is PhoneNumber.RegisterLimit; after 72 hours it works again', async () => {
  const space = await newSpace(s, s.root.accountId, 'limit');
  const { phoneNumber: pn } = await onboard(s, c, space, next()); // register #1
  for (let i = 2; i <= 10; i++) await register(c, space, pn);
  await expectError(register(c, space, pn), 'PhoneNumber.RegisterLimit', 400, '133016', /72 hours/);
  expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
  // Still blocked a little before the 72 hours are over.
  await advance(s, 71 * HOUR);
  await expectError(register(c, space, pn), 'PhoneNumber.RegisterLimit', 400, '133016');
  await advance(s, HOUR + MINUTE);
  const res = await register(c, space, pn);
  expect(res.body?.code).toBe('OK');
  expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
});

it('the 3rd registered number of a WABA is PhoneNumber.LimitExceeded (default cap 2)', async () => {
  const space = await newSpace(s, s.root.accountId, 'cap');
  const { phoneNumber: first } = await onboard(s, c, space, next());
  await onboard(s, c, space, next());
  const national = next();
  const third = e164(national);
  await add(c, space, national);
  await requestCode(c, space, third);
  await advance(s, NAME_REVIEW_MS);
  await expectError(
    verifyAndRegister(c, space, third, await readCode(s, third)),
    'PhoneNumber.LimitExceeded',
    400,
    '1349175',
    /limit is 2/,
  );
  expect(await queryOne(c, space, third)).toMatchObject({
    status: 'PENDING',
    codeVerificationStatus: 'VERIFIED',
  });
  expect((await query(c, space)).filter((n) => n.status === 'CONNECTED')).toHaveLength(2);
  // Freeing a slot lets it register.
  await deregister(c, space, first);
  await register(c, space, third);
  expect((await queryOne(c, space, third))?.status).toBe('CONNECTED');
});

it('a number that is not in the space is PhoneNumber.NotFound', async () => {
  const space = await newSpace(s, s.root.accountId, 'not found');
  const other = await newSpace(s, s.root.accountId, 'not found other');
  const national = next();
  await add(c, other, national);
  const missing = e164(next());
  for (const pn of [missing, e164(national)]) {
    await expectError(requestCode(c, space, pn), 'PhoneNumber.NotFound', 400, pn, space);
    await expectError(verificationStatus(c, space, pn), 'PhoneNumber.NotFound', 400, pn);
    await expectError(register(c, space, pn), 'PhoneNumber.NotFound', 400, pn);
    await expectError(verifyAndRegister(c, space, pn, '123456'), 'PhoneNumber.NotFound', 400, pn);
  }
  expect(await query(c, space)).toEqual([]);
  expect(await outbox(s, missing)).toEqual([]);
  expect(await outbox(s, e164(national))).toEqual([]);
});

it("another account's space is Unknown.ResourceOwnerId, and its numbers stay as they were", async () => {
  const other = await newTenant(s, 'other tenant');
  const oc = client(s, other);
  const national = next();
  const pn = e164(national);
  await add(oc, other.custSpaceId, national);
  for (const call of [
    () => add(c, other.custSpaceId, next()),
    () => requestCode(c, other.custSpaceId, pn),
    () => verificationStatus(c, other.custSpaceId, pn),
    () => register(c, other.custSpaceId, pn),
    () => query(c, other.custSpaceId),
    // A space that does not exist at all answers the same.
    () => query(c, 'cams-doesnotexist'),
  ]) {
    await expectError(call(), 'Unknown.ResourceOwnerId', 400, 'does not belong to the current user');
  }
  expect(await outbox(s, pn)).toEqual([]);
  expect((await query(oc, other.custSpaceId)).map((n) => [n.phoneNumber, n.status])).toEqual([
    [pn, 'PENDING'],
  ]);
});

it('GetChatappVerifyCode without Method is MissingMethod; Method "email" is InvalidParameter', async () => {
  const space = await newSpace(s, s.root.accountId, 'method');
  const national = next();
  const pn = e164(national);
  await add(c, space, national);
  await expectError(requestCode(c, space, pn, null), 'MissingMethod', 400, 'Method is mandatory');
  await expectError(requestCode(c, space, pn, 'email'), 'InvalidParameter', 400, 'Method', 'email', 'sms');
  expect(await outbox(s, pn)).toEqual([]);
  await expectUnverified(space, pn);
});

it('a rejected display name shows NameStatus Rejected in Query once the review decided', async () => {
  // Query answers from the store; time-driven changes reach it through the reconciler, which this
  // server runs every 200 ms (the default is 30 s).
  const r = await startServer({ CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN, CAMS_SYNC_INTERVAL_MS: '200' });
  try {
    const rc = client(r, r.root);
    const space = r.root.custSpaceId;
    const national = next();
    const pn = e164(national);
    await add(rc, space, national, 'FREE STUFF!!! www.deals.com');
    expect((await queryOne(rc, space, pn))?.nameStatus).toBe('Pending_Review');
    await advance(r, NAME_REVIEW_MS);
    await expect
      .poll(async () => (await queryOne(rc, space, pn))?.nameStatus, { timeout: 5000, interval: 100 })
      .toBe('Rejected');
    expect(await queryOne(rc, space, pn)).toMatchObject({
      status: 'PENDING',
      codeVerificationStatus: 'NOT_VERIFIED',
      verifiedName: 'FREE STUFF!!! www.deals.com',
    });
  } finally {
    await r.close();
  }
});
