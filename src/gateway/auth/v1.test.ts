import { describe, expect, it } from 'vitest';

import { parseQueryPairs } from './encode.js';
import { canonicalizeV1, signV1, stringToSignV1, verifyV1 } from './v1.js';

const SECRET = 'YourAccessKeySecret';

function parse(raw: string): Array<[string, string]> {
  const pairs = parseQueryPairs(raw);
  if (!pairs) throw new Error(`malformed: ${raw}`);
  return pairs;
}

function signatureOf(pairs: Array<[string, string]>): string {
  const found = pairs.find(([key]) => key === 'Signature');
  if (!found) throw new Error('no Signature');
  return found[1];
}

// cams-api.md §2.3.4, openapi-client `signatureAlgorithm: "v2"` (query + form body, `*` raw on the wire).
const POST_QUERY =
  'Action=AddChatappPhoneNumber&Format=json&Version=2020-06-06&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureNonce=3156853299f313e23d1673dc12e1703d&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=YourAccessKeyId&Signature=OPZUOQ7hGm7HRBHe%2BOH%2BnpRuYuI%3D';
const POST_BODY = 'Cc=86&CustSpaceId=93928389****&PhoneNumber=1380000****&VerifiedName=Alibaba%20Cloud';
const POST_CANONICAL =
  'AccessKeyId=YourAccessKeyId&Action=AddChatappPhoneNumber&Cc=86&CustSpaceId=93928389%2A%2A%2A%2A&Format=json&PhoneNumber=1380000%2A%2A%2A%2A&SignatureMethod=HMAC-SHA1&SignatureNonce=3156853299f313e23d1673dc12e1703d&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&VerifiedName=Alibaba%20Cloud&Version=2020-06-06';
const POST_STRING_TO_SIGN =
  'POST&%2F&AccessKeyId%3DYourAccessKeyId%26Action%3DAddChatappPhoneNumber%26Cc%3D86%26CustSpaceId%3D93928389%252A%252A%252A%252A%26Format%3Djson%26PhoneNumber%3D1380000%252A%252A%252A%252A%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3156853299f313e23d1673dc12e1703d%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26VerifiedName%3DAlibaba%2520Cloud%26Version%3D2020-06-06';

// cams-api.md §2.3.4, pop-core GET (everything in the query, `Format=JSON`).
const GET_QUERY =
  'AccessKeyId=YourAccessKeyId&Action=AddChatappPhoneNumber&Cc=86&CustSpaceId=93928389%2A%2A%2A%2A&Format=JSON&PhoneNumber=1380000%2A%2A%2A%2A&SignatureMethod=HMAC-SHA1&SignatureNonce=3156853299f313e23d1673dc12e1703d&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&VerifiedName=Alibaba%20Cloud&Version=2020-06-06&Signature=nWFxKSCMq2dZmAuzLwWdW1eTo9s%3D';

describe('signature V1 reference vectors (cams-api.md §2.3.4)', () => {
  it('openapi-client POST: canonical string, string-to-sign, signature', () => {
    const pairs = [...parse(POST_QUERY), ...parse(POST_BODY)];
    const canonical = canonicalizeV1(pairs);
    expect(canonical).toBe(POST_CANONICAL);
    const stringToSign = stringToSignV1('POST', canonical);
    expect(stringToSign).toBe(POST_STRING_TO_SIGN);
    expect(signV1(SECRET, stringToSign)).toBe('OPZUOQ7hGm7HRBHe+OH+npRuYuI=');
    expect(signatureOf(pairs)).toBe('OPZUOQ7hGm7HRBHe+OH+npRuYuI=');
    expect(verifyV1('POST', pairs, signatureOf(pairs), SECRET)).toBe(true);
  });

  it('pop-core GET', () => {
    const pairs = parse(GET_QUERY);
    expect(signV1(SECRET, stringToSignV1('GET', canonicalizeV1(pairs)))).toBe('nWFxKSCMq2dZmAuzLwWdW1eTo9s=');
    expect(verifyV1('GET', pairs, signatureOf(pairs), SECRET)).toBe(true);
  });

  it('does not depend on the position of the Signature pair or the wire order', () => {
    const pairs = parse(GET_QUERY);
    const reordered = [...pairs].reverse();
    expect(canonicalizeV1(reordered)).toBe(canonicalizeV1(pairs));
    expect(canonicalizeV1(pairs.filter(([k]) => k !== 'Signature'))).toBe(canonicalizeV1(pairs));
  });
});

describe('signature V1 negative cases', () => {
  const pairs = [...parse(POST_QUERY), ...parse(POST_BODY)];
  const signature = signatureOf(pairs);

  it('rejects a wrong secret (one byte changed)', () => {
    expect(verifyV1('POST', pairs, signature, 'YourAccessKeySecreT')).toBe(false);
    expect(verifyV1('POST', pairs, signature, '')).toBe(false);
  });

  it('rejects a changed method', () => {
    expect(verifyV1('GET', pairs, signature, SECRET)).toBe(false);
  });

  it('rejects a changed query or body parameter', () => {
    expect(
      verifyV1(
        'POST',
        [...parse(POST_QUERY.replace('Version=2020', 'Version=2021')), ...parse(POST_BODY)],
        signature,
        SECRET,
      ),
    ).toBe(false);
    expect(
      verifyV1(
        'POST',
        [...parse(POST_QUERY), ...parse(POST_BODY.replace('Cc=86', 'Cc=87'))],
        signature,
        SECRET,
      ),
    ).toBe(false);
    expect(
      verifyV1('POST', [...parse(POST_QUERY), ...parse(POST_BODY), ['Extra', '']], signature, SECRET),
    ).toBe(false);
    expect(verifyV1('POST', parse(POST_QUERY), signature, SECRET)).toBe(false);
  });

  it('rejects a changed or truncated signature', () => {
    expect(verifyV1('POST', pairs, 'OPZUOQ7hGm7HRBHe+OH+npRuYuJ=', SECRET)).toBe(false);
    expect(verifyV1('POST', pairs, 'OPZUOQ7hGm7HRBHe+OH+npRuYuI', SECRET)).toBe(false);
    expect(verifyV1('POST', pairs, '', SECRET)).toBe(false);
  });
});
