/**
 * Capture tests: drive the official Node clients against a throwaway local server, record the raw
 * requests and verify them with this module exactly as the gateway will (cams-api.md §2.1–§2.3,
 * Appendix A). Bodies arrive chunked (cams-api.md §2.1), so they are read from the stream.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import * as camsModule from '@alicloud/cams20200606';
import * as $OpenApi from '@alicloud/openapi-client';
import * as popModule from '@alicloud/pop-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { parseQueryPairs } from './encode.js';
import { verifyV1 } from './v1.js';
import { hashPayload, parseV3Authorization, verifyV3, type V3Algorithm } from './v3.js';

interface Captured {
  method: string;
  url: string;
  headers: Record<string, string[] | undefined>;
  body: Buffer;
}

// The packages are CommonJS. Node's ESM loader exposes `module.exports` as `default` (so the cams
// class is `default.default`), while vitest's loader may already unwrap it: unwrap until a constructor.
function interop<T>(mod: unknown): T {
  let current = mod;
  for (let depth = 0; depth < 3 && typeof current !== 'function'; depth++) {
    current = (current as { default?: unknown } | undefined)?.default;
  }
  if (typeof current !== 'function') throw new Error('no constructor export');
  return current as T;
}
const CamsClient = interop<typeof camsModule.default.default>(camsModule);
const RPCClient = interop<typeof popModule.default>(popModule);

const AK = 'LTAI5tCaptureTestKey';
const SECRET = 'capture-test-secret/+=';
const WRONG_SECRET = 'capture-test-secret/+-';

// Values exercising the difference between wire (`querystring`) and canonical (RFC 3986) encoding.
const CUST_SPACE_ID = "cs-*+/~!'()&=x y";
const PHONE_NUMBER = '+86 138/0000*~';
const VERIFIED_NAME = "Ünïcødé 名字 😀 *+/~!'()& =%20 end";

let server: Server;
let port = 0;
const captured: Captured[] = [];

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        captured.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: { ...req.headersDistinct },
          body,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"RequestId":"x","Code":"OK"}');
      },
      () => {
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  captured.length = 0;
});

function single(): Captured {
  expect(captured).toHaveLength(1);
  const request = captured[0];
  if (!request) throw new Error('nothing captured');
  return request;
}

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

function parse(raw: string): Array<[string, string]> {
  const pairs = parseQueryPairs(raw);
  if (!pairs) throw new Error(`malformed: ${raw}`);
  return pairs;
}

function isForm(request: Captured): boolean {
  return (request.headers['content-type']?.[0] ?? '').startsWith('application/x-www-form-urlencoded');
}

/** All decoded params: query pairs plus form-body pairs (cams-api.md §2.2.2 step 8, §2.3.3 step 1). */
function paramsOf(request: Captured): Array<[string, string]> {
  const query = parse(splitUrl(request.url).query);
  return isForm(request) ? [...query, ...parse(request.body.toString('utf8'))] : query;
}

function param(request: Captured, key: string): string | undefined {
  return paramsOf(request).find(([k]) => k === key)?.[1];
}

/** V3 verification as the gateway does it (cams-api.md §2.2.2 steps 1, 3–6). */
function checkV3(request: Captured, secret: string, algorithm: V3Algorithm): boolean {
  const authorization = parseV3Authorization(request.headers.authorization?.[0] ?? '');
  expect(authorization).toBeDefined();
  if (!authorization) return false;
  expect(authorization.algorithm).toBe(algorithm);
  expect(authorization.accessKeyId).toBe(AK);
  const payloadHash = hashPayload(authorization.algorithm, request.body);
  expect(request.headers['x-acs-content-sha256']).toEqual([payloadHash]);
  const { path, query } = splitUrl(request.url);
  return verifyV3(
    {
      method: request.method,
      path,
      queryPairs: parse(query),
      headers: request.headers,
      payloadHash,
      authorization,
    },
    secret,
  );
}

/** V1 verification as the gateway does it (cams-api.md §2.3.3 steps 1–5). */
function checkV1(request: Captured, secret: string): boolean {
  const pairs = paramsOf(request);
  const signature = pairs.find(([k]) => k === 'Signature')?.[1];
  expect(signature).toBeDefined();
  expect(pairs.find(([k]) => k === 'AccessKeyId')?.[1]).toBe(AK);
  return verifyV1(request.method, pairs, signature ?? '', secret);
}

function camsClient(extra: Partial<$OpenApi.Config> = {}): InstanceType<typeof CamsClient> {
  return new CamsClient(
    new $OpenApi.Config({
      accessKeyId: AK,
      accessKeySecret: SECRET,
      endpoint: `127.0.0.1:${port}`,
      protocol: 'http',
      ...extra,
    }),
  );
}

function addRequest(): camsModule.AddChatappPhoneNumberRequest {
  return new camsModule.AddChatappPhoneNumberRequest({
    cc: '86',
    custSpaceId: CUST_SPACE_ID,
    phoneNumber: PHONE_NUMBER,
    verifiedName: VERIFIED_NAME,
  });
}

function expectBusinessParams(request: Captured): void {
  expect(param(request, 'Cc')).toBe('86');
  expect(param(request, 'CustSpaceId')).toBe(CUST_SPACE_ID);
  expect(param(request, 'PhoneNumber')).toBe(PHONE_NUMBER);
  expect(param(request, 'VerifiedName')).toBe(VERIFIED_NAME);
}

describe('@alicloud/cams20200606 (openapi-client) signature V3', () => {
  it('default ACS3-HMAC-SHA256, body action', async () => {
    const response = await camsClient().addChatappPhoneNumber(addRequest());
    expect(response.body?.code).toBe('OK');
    const request = single();
    expect(request.method).toBe('POST');
    expect(request.headers['x-acs-action']).toEqual(['AddChatappPhoneNumber']);
    expect(request.headers.host).toEqual([`127.0.0.1:${port}`]);
    expect(request.headers['transfer-encoding']).toEqual(['chunked']); // cams-api.md §2.1: streamed body
    expectBusinessParams(request);
    expect(checkV3(request, SECRET, 'ACS3-HMAC-SHA256')).toBe(true);
    expect(checkV3(request, WRONG_SECRET, 'ACS3-HMAC-SHA256')).toBe(false);
  });

  it('default ACS3-HMAC-SHA256, query action', async () => {
    await camsClient().queryChatappPhoneNumbers(
      new camsModule.QueryChatappPhoneNumbersRequest({ custSpaceId: CUST_SPACE_ID, status: 'VERIFIED' }),
    );
    const request = single();
    expect(splitUrl(request.url).query).not.toBe('');
    expect(param(request, 'CustSpaceId')).toBe(CUST_SPACE_ID);
    expect(checkV3(request, SECRET, 'ACS3-HMAC-SHA256')).toBe(true);
    expect(checkV3(request, WRONG_SECRET, 'ACS3-HMAC-SHA256')).toBe(false);
  });

  it('ACS3-HMAC-SM3', async () => {
    await camsClient({ signatureAlgorithm: 'ACS3-HMAC-SM3' }).addChatappPhoneNumber(addRequest());
    const request = single();
    expectBusinessParams(request);
    expect(checkV3(request, SECRET, 'ACS3-HMAC-SM3')).toBe(true);
    expect(checkV3(request, WRONG_SECRET, 'ACS3-HMAC-SM3')).toBe(false);
  });

  it('STS credentials sign x-acs-accesskey-id and x-acs-security-token', async () => {
    await camsClient({ securityToken: 'sts-token+/=' }).addChatappPhoneNumber(addRequest());
    const request = single();
    const signed = parseV3Authorization(request.headers.authorization?.[0] ?? '')?.signedHeaders ?? [];
    expect(signed).toContain('x-acs-security-token');
    expect(signed).toContain('x-acs-accesskey-id');
    expect(checkV3(request, SECRET, 'ACS3-HMAC-SHA256')).toBe(true);
    expect(checkV3(request, WRONG_SECRET, 'ACS3-HMAC-SHA256')).toBe(false);
  });
});

describe('@alicloud/cams20200606 (openapi-client) signature V1 (signatureAlgorithm "v2")', () => {
  it('body action: query + form body signed together', async () => {
    await camsClient({ signatureAlgorithm: 'v2' }).addChatappPhoneNumber(addRequest());
    const request = single();
    expect(request.method).toBe('POST');
    expect(isForm(request)).toBe(true);
    expect(param(request, 'Action')).toBe('AddChatappPhoneNumber');
    expectBusinessParams(request);
    expect(checkV1(request, SECRET)).toBe(true);
    expect(checkV1(request, WRONG_SECRET)).toBe(false);
  });

  it('query action', async () => {
    await camsClient({ signatureAlgorithm: 'v2' }).queryChatappPhoneNumbers(
      new camsModule.QueryChatappPhoneNumbersRequest({ custSpaceId: CUST_SPACE_ID, status: 'VERIFIED' }),
    );
    const request = single();
    expect(param(request, 'CustSpaceId')).toBe(CUST_SPACE_ID);
    expect(checkV1(request, SECRET)).toBe(true);
    expect(checkV1(request, WRONG_SECRET)).toBe(false);
  });
});

describe('@alicloud/pop-core RPCClient signature V1', () => {
  const params = {
    Cc: '86',
    CustSpaceId: CUST_SPACE_ID,
    PhoneNumber: PHONE_NUMBER,
    VerifiedName: VERIFIED_NAME,
  };

  function popClient(securityToken?: string): InstanceType<typeof RPCClient> {
    return new RPCClient({
      accessKeyId: AK,
      accessKeySecret: SECRET,
      endpoint: `http://127.0.0.1:${port}`,
      apiVersion: '2020-06-06',
      ...(securityToken === undefined ? {} : { securityToken }),
    });
  }

  it('GET (default): everything in the query', async () => {
    await popClient().request('AddChatappPhoneNumber', params);
    const request = single();
    expect(request.method).toBe('GET');
    expectBusinessParams(request);
    expect(checkV1(request, SECRET)).toBe(true);
    expect(checkV1(request, WRONG_SECRET)).toBe(false);
  });

  it('POST: everything in the form body, no query string', async () => {
    await popClient().request('AddChatappPhoneNumber', params, { method: 'POST' });
    const request = single();
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/');
    expect(isForm(request)).toBe(true);
    expectBusinessParams(request);
    expect(checkV1(request, SECRET)).toBe(true);
    expect(checkV1(request, WRONG_SECRET)).toBe(false);
  });

  it('STS: SecurityToken is a signed parameter', async () => {
    await popClient('sts-token+/=').request('AddChatappPhoneNumber', params);
    const request = single();
    expect(param(request, 'SecurityToken')).toBe('sts-token+/=');
    expect(checkV1(request, SECRET)).toBe(true);
    expect(checkV1(request, WRONG_SECRET)).toBe(false);
  });
});
