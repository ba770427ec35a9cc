/** The explorer's browser signer (web/shared/sign-v3.ts) on the reference vectors of cams-api.md §2.2.3. */
import { describe, expect, it } from 'vitest';
import { signV3, type SignInput } from '../../web/shared/sign-v3.js';
import { parseQueryPairs } from '../../src/gateway/auth/encode.js';
import { hashPayload, parseV3Authorization, verifyV3 } from '../../src/gateway/auth/v3.js';
import { V3_CANONICAL_REQUEST as CANONICAL_REQUEST } from '../../src/gateway/auth/test-support.js';

// The inputs of cams-api.md §2.2.3, the same the server's signer is tested with (src/gateway/auth/v3.test.ts).
const BASE: SignInput = {
  method: 'POST',
  host: 'cams.ap-southeast-1.aliyuncs.com',
  action: 'AddChatappPhoneNumber',
  version: '2020-06-06',
  query: [],
  body: [
    ['Cc', '86'],
    ['CustSpaceId', '93928389****'],
    ['PhoneNumber', '1380000****'],
    ['VerifiedName', 'Alibaba Cloud'],
  ],
  date: '2024-01-01T00:00:00Z',
  nonce: '3156853299f313e23d1673dc12e1703d',
  accessKeyId: 'YourAccessKeyId',
  accessKeySecret: 'YourAccessKeySecret',
  extraHeaders: { 'x-acs-credentials-provider': 'static_ak' },
};

describe('signature V3 in the browser code', () => {
  it('body-style AddChatappPhoneNumber: the body bytes, canonical request, string-to-sign and Authorization of cams-api.md §2.2.3', async () => {
    const signed = await signV3(BASE);
    expect(signed.body).toBe(
      'Cc=86&CustSpaceId=93928389****&PhoneNumber=1380000****&VerifiedName=Alibaba%20Cloud',
    );
    expect(signed.headers['x-acs-content-sha256']).toBe(
      'fc8b4338142387c7eb98e03076bc9480898df11f4ec09d1152d1d536c05afe7c',
    );
    expect(signed.canonicalRequest).toBe(CANONICAL_REQUEST);
    expect(signed.stringToSign).toBe(
      'ACS3-HMAC-SHA256\n28990ef449e9d7b6c809feba343120b6aaa7280046745135e1f00ac7c26e9f1d',
    );
    expect(signed.headers.authorization).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e6e17a74dc32d592c4feb91bb12068510724d9432895ea63460eaaaa1acc77c6',
    );
    // The browser sets Host itself: it is signed, not sent by the page.
    expect(signed.headers).not.toHaveProperty('host');
  });

  it('without x-acs-credentials-provider (older SDKs): the signature of cams-api.md §2.2.3', async () => {
    const signed = await signV3({ ...BASE, extraHeaders: {} });
    expect(signed.signature).toBe('49cb5636fafa5fe346a8d9b527bd88b7776d4d9c24e4ee0636da09f414846350');
  });

  it('query-style QueryChatappPhoneNumbers: wire URL, canonical query, no content-type, the signature of cams-api.md §2.2.3', async () => {
    const signed = await signV3({
      ...BASE,
      action: 'QueryChatappPhoneNumbers',
      body: [],
      query: [
        ['CustSpaceId', '93928389****'],
        ['Status', 'VERIFIED'],
      ],
    });
    expect(signed.url).toBe('/?CustSpaceId=93928389****&Status=VERIFIED');
    expect(signed.body).toBe('');
    expect(signed.canonicalRequest.split('\n')[2]).toBe('CustSpaceId=93928389%2A%2A%2A%2A&Status=VERIFIED');
    expect(signed.headers).not.toHaveProperty('content-type');
    expect(signed.signature).toBe('ef833c14e46d5e5ac461a982a2fc82cff3a98b516bf0a987601420d1b73ad96b');
  });

  it("what it signs, the server's verifier accepts, for text the encodings treat differently", async () => {
    const signed = await signV3({
      ...BASE,
      query: [['Status', "it's (a) *test*! ~ é 中"]],
      body: [
        ['VerifiedName', 'A+B & C=D / 100% ☃'],
        ['Cc', '86'],
      ],
    });
    const headers: Record<string, string[]> = { host: [BASE.host] };
    for (const [name, value] of Object.entries(signed.headers)) headers[name] = [value];
    const payloadHash = hashPayload('ACS3-HMAC-SHA256', Buffer.from(signed.body, 'utf8'));
    expect(payloadHash).toBe(signed.headers['x-acs-content-sha256']);
    const input = {
      method: 'POST',
      path: '/',
      queryPairs: parseQueryPairs(signed.url.slice(2))!,
      headers,
      payloadHash,
      authorization: parseV3Authorization(signed.headers.authorization!)!,
    };
    expect(verifyV3(input, BASE.accessKeySecret)).toBe(true);
    expect(verifyV3(input, `${BASE.accessKeySecret}x`)).toBe(false);
  });
});
