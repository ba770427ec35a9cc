import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { parseQueryPairs } from './encode.js';
import {
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequestV3,
  hashPayload,
  parseV3Authorization,
  signV3,
  stringToSignV3,
  verifyV3,
  type V3Algorithm,
  type V3Authorization,
  type V3Input,
} from './v3.js';
import {
  V3_BODY_SIGNED_HEADERS as BODY_SIGNED,
  V3_CANONICAL_REQUEST as CANONICAL_REQUEST,
} from './test-support.js';

// Inputs of cams-api.md §2.2.3.
const AK = 'YourAccessKeyId';
const SECRET = 'YourAccessKeySecret';
const HOST = 'cams.ap-southeast-1.aliyuncs.com';
const DATE = '2024-01-01T00:00:00Z';
const NONCE = '3156853299f313e23d1673dc12e1703d';
const BODY = Buffer.from(
  'Cc=86&CustSpaceId=93928389****&PhoneNumber=1380000****&VerifiedName=Alibaba%20Cloud',
  'utf8',
);
const FORM = 'application/x-www-form-urlencoded';
const SHA256_BODY = 'fc8b4338142387c7eb98e03076bc9480898df11f4ec09d1152d1d536c05afe7c';
const SHA256_EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SM3_BODY = '993671a00489a8529395d8a0da354fdcaf66be4814d83355f6474940b70954a3';

function headersFor(
  action: string,
  contentHash: string,
  extra: Record<string, string> = {},
): Record<string, string[] | undefined> {
  const headers: Record<string, string[]> = {
    host: [HOST],
    'x-acs-version': ['2020-06-06'],
    'x-acs-action': [action],
    'user-agent': ['AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/1'],
    'x-acs-date': [DATE],
    'x-acs-signature-nonce': [NONCE],
    accept: ['application/json'],
    'x-acs-content-sha256': [contentHash],
    authorization: ['ignored'],
  };
  for (const [name, value] of Object.entries(extra)) headers[name] = [value];
  return headers;
}

function auth(value: string): V3Authorization {
  const parsed = parseV3Authorization(value);
  if (!parsed) throw new Error(`unparsable: ${value}`);
  return parsed;
}

function bodyInput(algorithm: V3Algorithm, authorization: string, extra: Record<string, string>): V3Input {
  const payloadHash = hashPayload(algorithm, BODY);
  return {
    method: 'POST',
    path: '/',
    queryPairs: [],
    headers: headersFor('AddChatappPhoneNumber', payloadHash, { 'content-type': FORM, ...extra }),
    payloadHash,
    authorization: auth(authorization),
  };
}

const STATIC_AK = { 'x-acs-credentials-provider': 'static_ak' };

describe('signature V3 reference vectors (cams-api.md §2.2.3)', () => {
  it('ACS3-HMAC-SHA256 body example with x-acs-credentials-provider', () => {
    const authorization = `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=${BODY_SIGNED},Signature=e6e17a74dc32d592c4feb91bb12068510724d9432895ea63460eaaaa1acc77c6`;
    const input = bodyInput('ACS3-HMAC-SHA256', authorization, STATIC_AK);
    expect(input.payloadHash).toBe(SHA256_BODY);
    const canonical = canonicalRequestV3(input);
    expect(canonical).toBe(CANONICAL_REQUEST);
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(
      '28990ef449e9d7b6c809feba343120b6aaa7280046745135e1f00ac7c26e9f1d',
    );
    const stringToSign = stringToSignV3('ACS3-HMAC-SHA256', canonical);
    expect(stringToSign).toBe(
      'ACS3-HMAC-SHA256\n28990ef449e9d7b6c809feba343120b6aaa7280046745135e1f00ac7c26e9f1d',
    );
    expect(signV3('ACS3-HMAC-SHA256', SECRET, stringToSign)).toBe(
      'e6e17a74dc32d592c4feb91bb12068510724d9432895ea63460eaaaa1acc77c6',
    );
    expect(verifyV3(input, SECRET)).toBe(true);
  });

  it('ACS3-HMAC-SHA256 body example without x-acs-credentials-provider (older SDKs)', () => {
    const signed = BODY_SIGNED.replace(';x-acs-credentials-provider', '');
    const input = bodyInput(
      'ACS3-HMAC-SHA256',
      `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=${signed},Signature=49cb5636fafa5fe346a8d9b527bd88b7776d4d9c24e4ee0636da09f414846350`,
      {},
    );
    expect(verifyV3(input, SECRET)).toBe(true);
  });

  it('query-style QueryChatappPhoneNumbers example', () => {
    const url = '/?CustSpaceId=93928389****&Status=VERIFIED';
    const queryPairs = parseQueryPairs(url.slice(url.indexOf('?') + 1));
    expect(queryPairs).toBeDefined();
    expect(canonicalQueryString(queryPairs ?? [])).toBe('CustSpaceId=93928389%2A%2A%2A%2A&Status=VERIFIED');
    const payloadHash = hashPayload('ACS3-HMAC-SHA256', Buffer.alloc(0));
    expect(payloadHash).toBe(SHA256_EMPTY);
    const input: V3Input = {
      method: 'POST',
      path: '/',
      queryPairs: queryPairs ?? [],
      headers: headersFor('QueryChatappPhoneNumbers', payloadHash, STATIC_AK),
      payloadHash,
      authorization: auth(
        `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=ef833c14e46d5e5ac461a982a2fc82cff3a98b516bf0a987601420d1b73ad96b`,
      ),
    };
    expect(createHash('sha256').update(canonicalRequestV3(input)).digest('hex')).toBe(
      'f6e1277c7f9b288c51456ce8107dfc9676cd9910e3e1c0b1780555cbd0e9d303',
    );
    expect(verifyV3(input, SECRET)).toBe(true);
  });

  it('ACS3-HMAC-SM3 variant', () => {
    const input = bodyInput(
      'ACS3-HMAC-SM3',
      `ACS3-HMAC-SM3 Credential=${AK},SignedHeaders=${BODY_SIGNED},Signature=8cad8c7269ae9ab49c681ab8aeb36d64a148d1c481b3f3f563ec11d5942a6109`,
      STATIC_AK,
    );
    expect(input.payloadHash).toBe(SM3_BODY);
    expect(stringToSignV3('ACS3-HMAC-SM3', canonicalRequestV3(input))).toBe(
      'ACS3-HMAC-SM3\n3e7f4dd3005956d9ca2e8296490ac14d274bafbcf34f4afeea5e991f78f75897',
    );
    expect(verifyV3(input, SECRET)).toBe(true);
    // The same request is not valid under the SHA-256 algorithm.
    expect(
      verifyV3(
        { ...input, authorization: { ...input.authorization, algorithm: 'ACS3-HMAC-SHA256' } },
        SECRET,
      ),
    ).toBe(false);
  });

  it('STS variant', () => {
    const input = bodyInput(
      'ACS3-HMAC-SHA256',
      `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=content-type;host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=637ef79c4f074c80b7bc434251c6fb66b1a3e1dab2ea30854483648833c0eb2b`,
      {
        'x-acs-accesskey-id': AK,
        'x-acs-security-token': 'YourSecurityToken',
        'x-acs-credentials-provider': 'static_sts',
      },
    );
    expect(verifyV3(input, SECRET)).toBe(true);
  });
});

describe('signature V3 negative cases', () => {
  const authorization = `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=${BODY_SIGNED},Signature=e6e17a74dc32d592c4feb91bb12068510724d9432895ea63460eaaaa1acc77c6`;
  const input = bodyInput('ACS3-HMAC-SHA256', authorization, STATIC_AK);

  it('baseline verifies', () => {
    expect(verifyV3(input, SECRET)).toBe(true);
  });

  it('rejects a secret with one changed byte', () => {
    expect(verifyV3(input, 'YourAccessKeySecreT')).toBe(false);
    expect(verifyV3(input, `${SECRET} `)).toBe(false);
  });

  it('rejects a body with one changed byte', () => {
    const body = Buffer.from(BODY);
    body[0] = 'D'.charCodeAt(0);
    expect(verifyV3({ ...input, payloadHash: hashPayload('ACS3-HMAC-SHA256', body) }, SECRET)).toBe(false);
  });

  it('rejects a signed header with one changed byte', () => {
    const headers = { ...input.headers, 'x-acs-date': ['2024-01-01T00:00:01Z'] };
    expect(verifyV3({ ...input, headers }, SECRET)).toBe(false);
    const host = { ...input.headers, host: [`${HOST}:80`] };
    expect(verifyV3({ ...input, headers: host }, SECRET)).toBe(false);
  });

  it('ignores unsigned headers', () => {
    const headers = { ...input.headers, 'user-agent': ['other'], accept: undefined };
    expect(verifyV3({ ...input, headers }, SECRET)).toBe(true);
  });

  it('rejects an added or changed query parameter', () => {
    expect(verifyV3({ ...input, queryPairs: [['Cc', '86']] }, SECRET)).toBe(false);
    expect(verifyV3({ ...input, queryPairs: [['a', '']] }, SECRET)).toBe(false);
  });

  it('rejects a changed query value in the query-style example', () => {
    const payloadHash = SHA256_EMPTY;
    const base: V3Input = {
      method: 'POST',
      path: '/',
      queryPairs: [
        ['CustSpaceId', '93928389****'],
        ['Status', 'VERIFIED'],
      ],
      headers: headersFor('QueryChatappPhoneNumbers', payloadHash, STATIC_AK),
      payloadHash,
      authorization: auth(
        `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=ef833c14e46d5e5ac461a982a2fc82cff3a98b516bf0a987601420d1b73ad96b`,
      ),
    };
    expect(verifyV3(base, SECRET)).toBe(true);
    expect(
      verifyV3(
        {
          ...base,
          queryPairs: [
            ['CustSpaceId', '93928389***+'],
            ['Status', 'VERIFIED'],
          ],
        },
        SECRET,
      ),
    ).toBe(false);
    expect(verifyV3({ ...base, queryPairs: [['Status', 'VERIFIED']] }, SECRET)).toBe(false);
  });

  it('rejects a changed method, path or signature', () => {
    expect(verifyV3({ ...input, method: 'GET' }, SECRET)).toBe(false);
    expect(verifyV3({ ...input, path: '/x' }, SECRET)).toBe(false);
    const signature = 'e6e17a74dc32d592c4feb91bb12068510724d9432895ea63460eaaaa1acc77c7';
    expect(verifyV3({ ...input, authorization: { ...input.authorization, signature } }, SECRET)).toBe(false);
    const short = 'e6e17a74dc32d592c4feb91bb12068510724d9432895ea63460eaaaa1acc77c';
    expect(verifyV3({ ...input, authorization: { ...input.authorization, signature: short } }, SECRET)).toBe(
      false,
    );
  });

  it('rejects when a signed header is dropped from SignedHeaders', () => {
    const signedHeaders = input.authorization.signedHeaders.filter((h) => h !== 'x-acs-date');
    expect(verifyV3({ ...input, authorization: { ...input.authorization, signedHeaders } }, SECRET)).toBe(
      false,
    );
  });
});

describe('parseV3Authorization', () => {
  it('parses the SDK format', () => {
    expect(
      parseV3Authorization(`ACS3-HMAC-SM3 Credential=LTAI5t,SignedHeaders=host;x-acs-date,Signature=00ff`),
    ).toEqual({
      algorithm: 'ACS3-HMAC-SM3',
      accessKeyId: 'LTAI5t',
      signedHeaders: ['host', 'x-acs-date'],
      signature: '00ff',
    });
  });

  it('tolerates spaces after commas, surrounding whitespace and upper-case hex', () => {
    expect(
      parseV3Authorization(' ACS3-HMAC-SHA256  Credential=ak, SignedHeaders=host,\tSignature=ABcd '),
    ).toEqual({
      algorithm: 'ACS3-HMAC-SHA256',
      accessKeyId: 'ak',
      signedHeaders: ['host'],
      signature: 'abcd',
    });
  });

  it.each([
    [''],
    ['ACS3-HMAC-SHA256'],
    ['ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host'],
    ['ACS3-HMAC-SHA256 Credential=ak,Signature=00'],
    ['ACS3-HMAC-SHA256 SignedHeaders=host,Signature=00'],
    ['ACS3-HMAC-SHA256 SignedHeaders=host,Credential=ak,Signature=00'],
    ['ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=00'],
    ['ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=,Signature=00'],
    ['ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature='],
    ['ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=xyz'],
    ['ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=00,Extra=1'],
    ['ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;;x-acs-date,Signature=00'],
    ['ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;,Signature=00'],
    ['ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=Host,Signature=00'],
    ['ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;host,Signature=00'],
    ['ACS3-HMAC-SHA256 Credential=a k,SignedHeaders=host,Signature=00'],
    ['ACS3-HMAC-SHA256Credential=ak,SignedHeaders=host,Signature=00'],
    ['acs3-hmac-sha256 Credential=ak,SignedHeaders=host,Signature=00'],
    ['ACS3-RSA-SHA256 Credential=ak,SignedHeaders=host,Signature=00'],
    ['ACS3-HMAC-SHA1 Credential=ak,SignedHeaders=host,Signature=00'],
    ['HMAC-SHA1 Credential=ak,SignedHeaders=host,Signature=00'],
    ['Bearer abc'],
  ])('rejects %j', (value) => {
    expect(parseV3Authorization(value)).toBeUndefined();
  });
});

describe('canonical parts', () => {
  it('canonicalQueryString sorts by key then value and re-encodes', () => {
    expect(
      canonicalQueryString([
        ['b', "*!'() ~+/&é"],
        ['a', ''],
        ['B', '2'],
        ['a', '1'],
        ['a.1', 'x'],
      ]),
    ).toBe('B=2&a=&a=1&a.1=x&b=%2A%21%27%28%29%20~%2B%2F%26%C3%A9');
  });

  it('canonicalHeaders trims, sorts and joins multiple values, keeps the client order', () => {
    expect(
      canonicalHeaders({ 'x-acs-b': [' 2 ', '1'], host: [' h:1 '], 'x-acs-a': undefined }, [
        'host',
        'x-acs-b',
        'x-acs-a',
      ]),
    ).toBe('host:h:1\nx-acs-b:1,2\nx-acs-a:\n');
  });

  it('canonicalHeaders ignores inherited properties', () => {
    expect(canonicalHeaders({}, ['constructor', 'tostring'])).toBe('constructor:\ntostring:\n');
  });
});
