/**
 * Signature V1 (`HMAC-SHA1`, the "RPC"/"v2" signature) as produced by openapi-client with
 * `signatureAlgorithm: "v2"` and by `@alicloud/pop-core`.
 *
 * Reference: cams-api.md §2.3.1–§2.3.3 (algorithm), cams-api.md §2.3.4 (test vectors), Appendix A
 * (`verifyV1`).
 */
import { createHmac } from 'node:crypto';

import { constantTimeEqual } from '../../crypto/constant-time.js';
import { percentEncode } from './encode.js';
import { comparePairs } from './pair-order.js';

/**
 * cams-api.md §2.3.3 steps 1 and 3: decoded params (query ∪ form body) without `Signature`, sorted by key,
 * `encode(k)=encode(v)` joined by `&`.
 */
export function canonicalizeV1(pairs: Array<[string, string]>): string {
  return pairs
    .filter(([key]) => key !== 'Signature')
    .sort(comparePairs)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
}

/** cams-api.md §2.3.3 step 4: `HTTPMethod + "&%2F&" + encode(canonical)`. */
export function stringToSignV1(method: string, canonical: string): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

/** cams-api.md §2.3.1 step 4, §2.3.3 step 4: `base64(HMAC-SHA1(key = SK + "&", StringToSign))`. */
export function signV1(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/**
 * cams-api.md §2.3.3 steps 1–5: recompute from all decoded params (the `Signature` pair, if present, is
 * ignored) and compare with the decoded `Signature` value in constant time. Required params, timestamp, nonce
 * and STS token checks are the caller's.
 */
export function verifyV1(
  method: string,
  pairs: Array<[string, string]>,
  signature: string,
  secret: string,
): boolean {
  const expected = signV1(secret, stringToSignV1(method, canonicalizeV1(pairs)));
  return constantTimeEqual(expected, signature);
}
