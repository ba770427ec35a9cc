/**
 * Signature V3 (`ACS3-HMAC-SHA256`, `ACS3-HMAC-SM3`) as produced by the official SDKs.
 *
 * Reference: cams-api.md §2.2.1 (client side), cams-api.md §2.2.2 (server verification), cams-api.md §2.2.3
 * (test vectors), Appendix A (`verifyV3`). `ACS3-RSA-SHA256` is deliberately not supported (it needs a public
 * key registry, not a shared secret); its Authorization header parses as undefined.
 */
import { createHash, createHmac } from 'node:crypto';

import { constantTimeEqual } from '../../crypto/constant-time.js';
import { percentEncode } from './encode.js';
import { comparePairs } from './pair-order.js';

export type V3Algorithm = 'ACS3-HMAC-SHA256' | 'ACS3-HMAC-SM3';

export interface V3Authorization {
  algorithm: V3Algorithm;
  accessKeyId: string;
  /** Lower-case header names in the order the client listed them (already sorted by the SDKs). */
  signedHeaders: string[];
  /** Lower-case hex. */
  signature: string;
}

export interface V3Input {
  method: string;
  /** The request path exactly as received, before the `?` (always `/` for CAMS). */
  path: string;
  /** Decoded query pairs, e.g. from `parseQueryPairs`. */
  queryPairs: Array<[string, string]>;
  /** Lower-case header name -> raw values, as Node's `req.headersDistinct` gives. */
  headers: Record<string, string[] | undefined>;
  /**
   * `hashPayload(algorithm, body)` computed by the server from the received body bytes. Never copy
   * the client's `x-acs-content-sha256` header here: this value is what binds the body to the signature.
   */
  payloadHash: string;
  authorization: V3Authorization;
}

/**
 * cams-api.md §2.2.1 step 6 / §2.2.2 step 1: `<Alg> Credential=<ak>,SignedHeaders=<a;b>,Signature=<hex>`. The
 * SDKs put no spaces after the commas; optional spaces/tabs are tolerated. Upper-case hex is accepted and
 * normalised to lower case (the expected signature is lower-case hex).
 */
const AUTHORIZATION =
  /^(ACS3-HMAC-SHA256|ACS3-HMAC-SM3)[ \t]+Credential=([^,\s]+),[ \t]*SignedHeaders=([^,\s]+),[ \t]*Signature=([0-9a-fA-F]+)$/;

/** An RFC 9110 header-name token, lower case (the SDKs lower-case every signed header name). */
const SIGNED_HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

export function parseV3Authorization(value: string): V3Authorization | undefined {
  const match = AUTHORIZATION.exec(value.trim());
  if (!match) return undefined;
  const [, algorithm, accessKeyId, signedHeaderList, signature] = match;
  if (!algorithm || !accessKeyId || !signedHeaderList || !signature) return undefined;
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.every((name) => SIGNED_HEADER_NAME.test(name))) return undefined;
  if (new Set(signedHeaders).size !== signedHeaders.length) return undefined;
  return {
    algorithm: algorithm as V3Algorithm,
    accessKeyId,
    signedHeaders,
    signature: signature.toLowerCase(),
  };
}

/**
 * cams-api.md §2.2.1 step 4: SHA-256, or SM3 for `ACS3-HMAC-SM3` (the header is still
 * `x-acs-content-sha256`).
 */
function hashName(algorithm: V3Algorithm): 'sha256' | 'sm3' {
  return algorithm === 'ACS3-HMAC-SM3' ? 'sm3' : 'sha256';
}

/** cams-api.md §2.2.1 step 4 / §2.2.2 step 3: hex hash of the raw body bytes (empty body ⇒ hash of ""). */
export function hashPayload(algorithm: V3Algorithm, body: Buffer): string {
  return createHash(hashName(algorithm)).update(body).digest('hex');
}

/**
 * cams-api.md §2.2.1 step 6 `CanonicalQueryString`, §2.2.2 step 4: decoded pairs sorted by key,
 * `key=encode(value)` joined by `&`. The Node SDK does not encode the key; other SDKs do; both agree for the
 * ASCII alphanumeric/`.` keys clients send, so the key is encoded too. Empty value ⇒ `Key=`.
 */
export function canonicalQueryString(pairs: Array<[string, string]>): string {
  return [...pairs]
    .sort(comparePairs)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
}

/**
 * cams-api.md §2.2.1 step 6 `CanonicalHeaders`, §2.2.2 step 5: for each signed name in the client's order,
 * `name:value\n`; values trimmed; several values for one name sorted and joined with `,`. An absent
 * header contributes `name:\n` (the caller decides which headers are required).
 */
export function canonicalHeaders(
  headers: Record<string, string[] | undefined>,
  signedHeaders: string[],
): string {
  let out = '';
  for (const name of signedHeaders) {
    const key = name.toLowerCase();
    const raw = Object.hasOwn(headers, key) ? headers[key] : undefined;
    let value = '';
    if (Array.isArray(raw)) {
      value =
        raw.length === 1
          ? raw[0]!.trim()
          : raw
              .map((v) => v.trim())
              .sort()
              .join(',');
    }
    out += `${name}:${value}\n`;
  }
  return out;
}

/**
 * cams-api.md §2.2.1 step 6: `Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
 * SignedHeaders \n HashedPayload` (CanonicalHeaders ends in `\n`, hence an empty line before SignedHeaders).
 * The CanonicalURI is the path as received (the Node SDK signs the pathname `/` it sends).
 */
export function canonicalRequestV3(input: V3Input): string {
  const { signedHeaders } = input.authorization;
  return [
    input.method,
    input.path,
    canonicalQueryString(input.queryPairs),
    canonicalHeaders(input.headers, signedHeaders),
    signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

/** cams-api.md §2.2.1 step 6: `Alg + "\n" + hex(Hash(CanonicalRequest))`. */
export function stringToSignV3(algorithm: V3Algorithm, canonicalRequest: string): string {
  const digest = createHash(hashName(algorithm)).update(canonicalRequest, 'utf8').digest('hex');
  return `${algorithm}\n${digest}`;
}

/** cams-api.md §2.2.1 step 6: `hex(HMAC-SHA256(SK, StringToSign))` or `hex(HMAC-SM3(SK, StringToSign))`. */
export function signV3(algorithm: V3Algorithm, secret: string, stringToSign: string): string {
  return createHmac(hashName(algorithm), secret).update(stringToSign, 'utf8').digest('hex');
}

/**
 * cams-api.md §2.2.2 step 6: recompute the signature with the secret for `authorization.accessKeyId` and
 * compare in constant time. Does not check required headers, `x-acs-content-sha256` vs the body, date or
 * nonce (cams-api.md §2.2.2 steps 2, 3 and 7); the caller does.
 */
export function verifyV3(input: V3Input, secret: string): boolean {
  const { algorithm, signature } = input.authorization;
  const expected = signV3(algorithm, secret, stringToSignV3(algorithm, canonicalRequestV3(input)));
  return constantTimeEqual(expected, signature);
}
