/**
 * Limits counted as Meta counts them, single-use codes and the fields of a number not yet on the
 * platform, through the official SDK against a listening server (whatsapp-upstream.md §1.4-§1.6).
 * Each test has its own customer space; simulator time only moves forward.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import {
  add,
  advance,
  client,
  deregister,
  e164,
  expectError,
  HOUR,
  NAME_REVIEW_MS,
  newSpace,
  numbers,
  onboard,
  OPERATOR_TOKEN,
  queryOne,
  readCode,
  register,
  requestCode,
  verifyAndRegister,
  type Client,
} from './helpers.js';

let s: TestServer;
let c: Client;
const next = numbers(600);

beforeAll(async () => {
  // The reconciler is off so every state change seen here comes from the call under test.
  s = await startServer({ CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN, CAMS_SYNC_INTERVAL_MS: '0' });
  c = client(s, s.root);
});
afterAll(() => s.close());

async function numberWithCode(name: string): Promise<{ space: string; pn: string; code: string }> {
  const space = await newSpace(s, s.root.accountId, name);
  const national = next();
  const pn = e164(national);
  await add(c, space, national);
  await requestCode(c, space, pn);
  return { space, pn, code: await readCode(s, pn) };
}

it('10 registers and 10 deregisters alternate without lock-out; the 11th register says when it frees up', async () => {
  const space = await newSpace(s, s.root.accountId, 'alternate');
  const { phoneNumber: pn } = await onboard(s, c, space, next()); // register #1
  await deregister(c, space, pn); // deregister #1
  for (let i = 2; i <= 10; i++) {
    expect((await register(c, space, pn)).body?.code).toBe('OK');
    expect((await deregister(c, space, pn)).body?.code).toBe('OK');
  }
  expect((await queryOne(c, space, pn))?.status).toBe('DISCONNECTED');

  const before = await s.app.simulator.now();
  const err = await expectError(
    register(c, space, pn),
    'PhoneNumber.RegisterLimit',
    400,
    '133016',
    '10 register requests within 72 hours',
  );
  const after = await s.app.simulator.now();
  const until = /register is possible again after (\S+?)\.?\)?$/.exec(String(err.data?.Message))?.[1];
  expect(until).toBeDefined();
  const frees = Date.parse(until!);
  expect(frees).toBeGreaterThanOrEqual(before + 72 * HOUR);
  expect(frees).toBeLessThanOrEqual(after + 72 * HOUR);

  // Still refused just before that time, accepted after it.
  await advance(s, frees - (await s.app.simulator.now()) - 60_000);
  await expectError(register(c, space, pn), 'PhoneNumber.RegisterLimit', 400, until!);
  await advance(s, 61_000);
  expect((await register(c, space, pn)).body?.code).toBe('OK');
  expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
});

it('a deregister refused because the number is not registered spends no budget', async () => {
  const { space, pn, code } = await numberWithCode('refused deregister');
  // More refusals than the budget of 10: none of them counts, so none is answered 133016.
  for (let i = 0; i < 11; i++) {
    await expectError(deregister(c, space, pn), 'PhoneNumber.NotRegistered', 400, '133010');
  }
  await advance(s, NAME_REVIEW_MS);
  await verifyAndRegister(c, space, pn, code);
  expect((await deregister(c, space, pn)).body?.code).toBe('OK');
  expect((await queryOne(c, space, pn))?.status).toBe('DISCONNECTED');
});

it('a code verifies once: using it again is PhoneNumber.VerifyCodeFailed and registers nothing', async () => {
  const { space, pn, code } = await numberWithCode('single-use code');
  await advance(s, NAME_REVIEW_MS);
  await verifyAndRegister(c, space, pn, code);
  await deregister(c, space, pn);
  await expectError(
    verifyAndRegister(c, space, pn, code),
    'PhoneNumber.VerifyCodeFailed',
    400,
    '136025',
    /already used/,
  );
  expect(await queryOne(c, space, pn)).toMatchObject({
    status: 'DISCONNECTED',
    codeVerificationStatus: 'VERIFIED',
  });
  // A new code verifies (and registers) again.
  await requestCode(c, space, pn);
  await verifyAndRegister(c, space, pn, await readCode(s, pn));
  expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
});

it('a never-registered number has no messaging tier and quality UNKNOWN; registered, it has both', async () => {
  const { space, pn, code } = await numberWithCode('tier');
  const fresh = await queryOne(c, space, pn);
  expect(fresh).toMatchObject({ status: 'PENDING', qualityRating: 'UNKNOWN' });
  expect(fresh?.messagingLimitTier ?? '').toBe('');
  await advance(s, NAME_REVIEW_MS);
  await verifyAndRegister(c, space, pn, code);
  expect(await queryOne(c, space, pn)).toMatchObject({
    status: 'CONNECTED',
    qualityRating: 'GREEN',
    messagingLimitTier: 'TIER_250',
  });
});
