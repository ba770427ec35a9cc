/**
 * Shared helpers of the black-box wire tests: request builders, store probes, RAM fixtures, a raw V1
 * signer (for the requests no official client can produce) and a recording relay.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Pop from '@alicloud/pop-core';
import { expect } from 'vitest';
import { canonicalizeV1, signV1, stringToSignV1 } from '../../src/gateway/auth/v1.js';
import { percentEncode } from '../../src/gateway/auth/encode.js';
import type { FlowLimiter } from '../../src/throttle/flow-limiter.js';
import { CamsModels, type Credentials, type SdkError, type TestServer } from '../support/server.js';

export const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

/** Distinct valid China mobile numbers (1380013xxxx), `start` picks the block. */
export function phoneSequence(start = 0): () => string {
  let n = start;
  return () => `1380013${String(n++).padStart(4, '0')}`;
}

/** The business parameters of a valid AddChatappPhoneNumber, in wire names. */
export function addParams(custSpaceId: string, phoneNumber: string): Record<string, string> {
  return { CustSpaceId: custSpaceId, Cc: '86', PhoneNumber: phoneNumber, VerifiedName: 'Alibaba Cloud' };
}

/** The V3 SDK request model of a valid AddChatappPhoneNumber; `extra` overrides fields (undefined = not sent). */
export function addRequest(
  custSpaceId: string,
  phoneNumber: string,
  extra: Partial<
    Record<'custSpaceId' | 'cc' | 'phoneNumber' | 'verifiedName' | 'preValidateId', string>
  > = {},
): InstanceType<typeof CamsModels.AddChatappPhoneNumberRequest> {
  return new CamsModels.AddChatappPhoneNumberRequest({
    custSpaceId,
    cc: '86',
    phoneNumber,
    verifiedName: 'Alibaba Cloud',
    ...extra,
  });
}

/** pop-core with an arbitrary API version (the test harness pins 2020-06-06). */
export function popClientWithVersion(
  s: TestServer,
  creds: Credentials,
  apiVersion: string,
): InstanceType<typeof Pop> {
  return new Pop({ ...creds, endpoint: `http://${s.endpoint}`, apiVersion });
}

/** pop-core's error: err.code = body Code, err.data = the parsed body. */
export interface PopError {
  code: string;
  name: string;
  message: string;
  data: Record<string, unknown>;
}

/** Phone-number rows of an account (all accounts when none is given). */
export async function phoneRows(
  s: TestServer,
  accountId?: string,
): Promise<Array<{ e164: string; account_id: string; cust_space_id: string; verified_name: string }>> {
  let q = s.app.db
    .selectFrom('phone_numbers')
    .select(['e164', 'account_id', 'cust_space_id', 'verified_name']);
  if (accountId !== undefined) q = q.where('account_id', '=', accountId);
  return q.execute();
}

/** A RAM user of `accountId` with the given policies attached, and its access key. */
export async function ramUser(
  s: TestServer,
  accountId: string,
  name: string,
  policies: string[],
): Promise<Credentials & { userId: string }> {
  const user = await s.app.iam.createUser(accountId, name);
  for (const policy of policies) await s.app.iam.attachPolicy(accountId, name, policy);
  const key = await s.app.iam.createAccessKey(accountId, { userName: name });
  return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, userId: user.id };
}

/** A second subscribed (or not) account with a root key and one space. */
export async function otherAccount(
  s: TestServer,
  name: string,
  subscribed = true,
): Promise<Credentials & { accountId: string; custSpaceId: string }> {
  const account = await s.app.iam.createAccount({ name, subscribed });
  const key = await s.app.iam.createAccessKey(account.id);
  const space = await s.app.spaces.create(account.id, { name: `${name} space` });
  return {
    accountId: account.id,
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    custSpaceId: space.id,
  };
}

/** Alibaba's timestamp form, `yyyy-MM-ddTHH:mm:ssZ`. */
export function timestamp(ms: number = Date.now()): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/**
 * A V1 (HMAC-SHA1) request signed with the server's own published algorithm, for what no official
 * client sends (Format=XML, no Format, a malformed Timestamp). `common` overrides or removes (undefined)
 * the common parameters.
 */
export function signedV1(
  s: TestServer,
  creds: Credentials,
  action: string,
  business: Record<string, string>,
  common: Record<string, string | undefined> = {},
  method: 'GET' | 'POST' = 'GET',
): { url: string; init: RequestInit } {
  const all: Record<string, string | undefined> = {
    Action: action,
    Version: '2020-06-06',
    Format: 'JSON',
    Timestamp: timestamp(),
    SignatureNonce: randomBytes(16).toString('hex'),
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    AccessKeyId: creds.accessKeyId,
    ...common,
    ...business,
  };
  const pairs = Object.entries(all).filter((p): p is [string, string] => p[1] !== undefined);
  const signature = signV1(creds.accessKeySecret, stringToSignV1(method, canonicalizeV1(pairs)));
  const encoded = [...pairs, ['Signature', signature]].map(
    ([k, v]) => `${percentEncode(k!)}=${percentEncode(v!)}`,
  );
  const wire = encoded.join('&');
  if (method === 'GET') return { url: `http://${s.endpoint}/?${wire}`, init: { method } };
  return {
    url: `http://${s.endpoint}/`,
    init: { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: wire },
  };
}

/** Asserts the openapi-client error of a catalogued gateway/business error. */
export function expectSdkError(err: SdkError, code: string, status: number, message?: string | RegExp): void {
  expect(err.code).toBe(code);
  expect(err.data?.statusCode).toBe(status);
  expect(err.data?.RequestId).toMatch(UUID);
  if (typeof message === 'string') expect(err.data?.Message).toBe(message);
  else if (message !== undefined) expect(err.data?.Message).toMatch(message);
}

/** Asserts pop-core's error (it ignores the HTTP status; the body is err.data). */
export function expectPopError(err: PopError, code: string, message?: string | RegExp): void {
  expect(err.code).toBe(code);
  expect(err.data.Code).toBe(code);
  expect(err.data.RequestId).toMatch(UUID);
  if (typeof message === 'string') expect(err.data.Message).toBe(message);
  else if (message !== undefined) expect(err.data.Message).toMatch(message);
}

export async function popError(promise: Promise<unknown>): Promise<PopError> {
  try {
    await promise;
  } catch (error) {
    return error as PopError;
  }
  throw new Error('expected the call to fail');
}

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A recording relay on 127.0.0.1:0: every request is recorded byte for byte and forwarded unchanged
 * (Host included, so V3 signatures still verify) to the server; the answer is relayed back.
 */
export async function recordingRelay(
  s: TestServer,
): Promise<{ endpoint: string; recorded: Recorded[]; close(): Promise<void> }> {
  const recorded: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      recorded.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, body });
      const headers = { ...req.headers };
      delete headers['transfer-encoding'];
      headers['content-length'] = String(body.length);
      const upstream = httpRequest(
        { host: '127.0.0.1', port: s.port, method: req.method, path: req.url, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `127.0.0.1:${port}`,
    recorded,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A limiter that admits everything, for files that fire many sequential calls to test something other
 * than flow control (flow control has its own tests: seed-errors, flow-control).
 */
export const unlimited: FlowLimiter = { tryAcquire: async () => true };

/** Asserts a raw JSON error answer (status, exact content type, no HTML, RequestId header) and returns its body. */
export async function expectJsonError(res: Response, code: string, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8');
  const text = await res.text();
  expect(text).not.toMatch(/<|html/i);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body.Code).toBe(code);
  expect(body.RequestId).toMatch(UUID);
  expect(res.headers.get('x-acs-request-id')).toBe(body.RequestId);
  return body;
}
