/**
 * Shared steps of the lifecycle tests: onboarding through the official SDK, the operator endpoints
 * (/_admin/...) and a client-side pacer that keeps every action under the server's 10 calls per second.
 */
import { expect } from 'vitest';
import {
  camsClient,
  CamsModels,
  sdkError,
  type Credentials,
  type SdkError,
  type TestServer,
} from '../support/server.js';

export const OPERATOR_TOKEN = 'operator-token-0123456789';
/** Simulator time that lets the 5 s display-name review decide. */
export const NAME_REVIEW_MS = 10_000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// ---- pacing ---------------------------------------------------------------------------------------

/** Calls per action and access key in any client-side second; the server admits 10. */
const PACE_LIMIT = 8;
const sent = new Map<string, number[]>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pace(key: string): Promise<void> {
  for (;;) {
    const now = Date.now();
    const recent = (sent.get(key) ?? []).filter((t) => now - t < 1000);
    if (recent.length < PACE_LIMIT) {
      recent.push(now);
      sent.set(key, recent);
      return;
    }
    await sleep(1000 - (now - recent[0]!) + 5);
  }
}

export type Client = ReturnType<typeof camsClient>;

/**
 * The official client, unchanged, except that each call first waits until fewer than 8 calls of the same
 * method went out with this access key in the last second (flow control is 10 QPS per account and action).
 */
export function client(s: TestServer, creds: Credentials): Client {
  const c = camsClient(s, creds);
  return new Proxy(c, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return async (...args: unknown[]) => {
        await pace(`${creds.accessKeyId}:${prop.replace(/WithOptions$/, '')}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

// ---- numbers and accounts -------------------------------------------------------------------------

/** Distinct valid China mobile numbers 1380013xxxx (national form); `start` picks the block. */
export function numbers(start: number): () => string {
  let n = start;
  return () => `1380013${String(n++).padStart(4, '0')}`;
}

/** The PhoneNumber form of the lifecycle actions: country code first. */
export const e164 = (national: string) => `86${national}`;

export interface Tenant extends Credentials {
  accountId: string;
  custSpaceId: string;
}

/** Another subscribed account with its own root key and one customer space. */
export async function newTenant(s: TestServer, name: string): Promise<Tenant> {
  const account = await s.app.iam.createAccount({ name, subscribed: true });
  const key = await s.app.iam.createAccessKey(account.id);
  const space = await s.app.spaces.create(account.id, { name });
  return {
    accountId: account.id,
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    custSpaceId: space.id,
  };
}

/** A new customer space (so a new simulated WABA, with its own number cap) for an account. */
export async function newSpace(s: TestServer, accountId: string, name: string): Promise<string> {
  return (await s.app.spaces.create(accountId, { name })).id;
}

// ---- operator endpoints ---------------------------------------------------------------------------

export interface AdminAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A call of the operator HTTP API; `token` null sends no Authorization header. */
export async function admin(
  s: TestServer,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = OPERATOR_TOKEN,
): Promise<AdminAnswer> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`http://${s.endpoint}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export interface OutboxMessage {
  e164: string;
  method: 'SMS' | 'VOICE';
  language: string;
  code: string;
  phoneNumberId: string;
}

/** The codes the simulator "sent" to a number, oldest first, read through GET /_admin/outbox. */
export async function outbox(s: TestServer, phoneNumber: string): Promise<OutboxMessage[]> {
  const res = await admin(s, 'GET', `/_admin/outbox?phoneNumber=${phoneNumber}`);
  expect(res.status).toBe(200);
  return res.body.Messages as OutboxMessage[];
}

/** The latest code sent to a number. */
export async function readCode(s: TestServer, phoneNumber: string): Promise<string> {
  const messages = await outbox(s, phoneNumber);
  expect(messages.length).toBeGreaterThan(0);
  return messages.at(-1)!.code;
}

/** Moves simulator time forward through POST /_admin/clock. */
export async function advance(s: TestServer, ms: number): Promise<void> {
  const res = await admin(s, 'POST', '/_admin/clock', { advanceSeconds: ms / 1000 });
  expect(res.status).toBe(200);
}

// ---- onboarding steps -----------------------------------------------------------------------------

export function add(c: Client, custSpaceId: string, national: string, verifiedName = 'Alibaba Cloud') {
  return c.addChatappPhoneNumber(
    new CamsModels.AddChatappPhoneNumberRequest({
      custSpaceId,
      cc: '86',
      phoneNumber: national,
      verifiedName,
    }),
  );
}

export function requestCode(
  c: Client,
  custSpaceId: string,
  phoneNumber: string,
  method: string | null = 'sms',
  locale = 'zh_CN',
) {
  // null sends no Method at all (the SDK validates nothing client-side).
  return c.getChatappVerifyCode(
    new CamsModels.GetChatappVerifyCodeRequest({
      custSpaceId,
      phoneNumber,
      locale,
      ...(method === null ? {} : { method }),
    }),
  );
}

export function verifyAndRegister(c: Client, custSpaceId: string, phoneNumber: string, verifyCode: string) {
  return c.chatappVerifyAndRegister(
    new CamsModels.ChatappVerifyAndRegisterRequest({ custSpaceId, phoneNumber, verifyCode }),
  );
}

export function register(c: Client, custSpaceId: string, phoneNumber: string) {
  return c.chatappPhoneNumberRegister(
    new CamsModels.ChatappPhoneNumberRegisterRequest({ custSpaceId, phoneNumber }),
  );
}

export function deregister(c: Client, custSpaceId: string, phoneNumber: string) {
  return c.chatappPhoneNumberDeregister(
    new CamsModels.ChatappPhoneNumberDeregisterRequest({ custSpaceId, phoneNumber }),
  );
}

/** GetPhoneNumberVerificationStatus's Data: CodeVerificationStatus, Id (upstream ID), PhoneNumber. */
export async function verificationStatus(c: Client, custSpaceId: string, phoneNumber: string) {
  const res = await c.getPhoneNumberVerificationStatus(
    new CamsModels.GetPhoneNumberVerificationStatusRequest({ custSpaceId, phoneNumber }),
  );
  return res.body!.data!;
}

/** QueryChatappPhoneNumbers of a space. */
export async function query(c: Client, custSpaceId: string) {
  const res = await c.queryChatappPhoneNumbers(
    new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId }),
  );
  return res.body!.phoneNumbers ?? [];
}

/** One number as QueryChatappPhoneNumbers shows it (undefined when the space does not list it). */
export async function queryOne(c: Client, custSpaceId: string, phoneNumber: string) {
  return (await query(c, custSpaceId)).find((n) => n.phoneNumber === phoneNumber);
}

/**
 * Add, request a code by SMS, read it from the outbox, let the display-name review decide, then
 * ChatappVerifyAndRegister: the number ends CONNECTED. Returns its PhoneNumber and the code used.
 */
export async function onboard(
  s: TestServer,
  c: Client,
  custSpaceId: string,
  national: string,
): Promise<{ phoneNumber: string; code: string }> {
  const phoneNumber = e164(national);
  await add(c, custSpaceId, national);
  await requestCode(c, custSpaceId, phoneNumber);
  const code = await readCode(s, phoneNumber);
  await s.app.simulator.advanceClock(NAME_REVIEW_MS);
  await verifyAndRegister(c, custSpaceId, phoneNumber, code);
  expect((await queryOne(c, custSpaceId, phoneNumber))?.status).toBe('CONNECTED');
  return { phoneNumber, code };
}

// ---- errors ---------------------------------------------------------------------------------------

/**
 * Awaits a call that must fail and checks what the SDK user sees: err.code, err.data.statusCode, and
 * that the message mentions each of `mentions`. Returns the error for further checks.
 */
export async function expectError(
  promise: Promise<unknown>,
  code: string | RegExp,
  statusCode: number,
  ...mentions: Array<string | RegExp>
): Promise<SdkError> {
  const err = await sdkError(promise);
  expect({ code: err.code, statusCode: err.data?.statusCode }).toEqual({
    code: typeof code === 'string' ? code : expect.stringMatching(code),
    statusCode,
  });
  const message = String(err.data?.Message ?? '');
  expect(err.message).toContain(message);
  for (const m of mentions) {
    if (typeof m === 'string') expect(message).toContain(m);
    else expect(message).toMatch(m);
  }
  return err;
}
