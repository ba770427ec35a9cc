/**
 * Signature V3 `ACS3-HMAC-SHA256` in the browser (and in Node 20, through globalThis.crypto.subtle), as
 * the official SDKs compute it (docs/reference/cams-api.md §2.2.1; vectors in §2.2.3). Pure: the
 * clock and the nonce are inputs. The secret only keys the HMAC; it is never part of a request.
 */

export const ALGORITHM = 'ACS3-HMAC-SHA256';

export interface SignInput {
  readonly method: 'POST' | 'GET';
  /** The host the browser will send (the page's `location.host`). */
  readonly host: string;
  readonly action: string;
  readonly version: string;
  /** Business parameters sent in the URL query. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Business parameters sent as an `application/x-www-form-urlencoded` body. */
  readonly body: ReadonlyArray<readonly [string, string]>;
  /** `yyyy-MM-ddTHH:mm:ssZ`. */
  readonly date: string;
  readonly nonce: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** More `x-acs-*` headers to send and sign (e.g. `x-acs-credentials-provider`). */
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

export interface SignedRequest {
  /** `/` or `/?a=b` as it goes on the wire. */
  readonly url: string;
  /** The headers to send (lower-case names); `host` is in the signature but the browser sets it. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
}

/** `encodeURIComponent` plus `!'()*` (cams-api.md §2.2.1 step 6, `encode`). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The wire form of the query or the body: Node's `querystring.stringify`, which the SDKs use, leaves
 * `!'()*` raw (cams-api.md §2.1); the server decodes and re-encodes, so either form verifies.
 */
export function formEncode(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function byKeyThenValue(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/** Sorted by key (UTF-16 order), `key=encode(value)` joined by `&` (cams-api.md §2.2.1 step 6). */
export function canonicalQueryString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return [...pairs]
    .sort(byKeyThenValue)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
}

const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text: string): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

export async function hmacSha256Hex(secret: string, text: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return hex(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(text)));
}

/** `yyyy-MM-ddTHH:mm:ssZ` of a time (whole seconds, UTC). */
export function acsDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** 32 hex characters, as `@alicloud/openapi-client` 1.4.2 sends (cams-api.md §2.2.1 step 2). */
export function newNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Builds and signs one request: canonical request, string-to-sign, signature and the headers that
 * carry them (cams-api.md §2.2.1 steps 2-6).
 */
export async function signV3(input: SignInput): Promise<SignedRequest> {
  const body = formEncode(input.body);
  const payloadHash = await sha256Hex(body);
  const query = formEncode(input.query);
  const headers: Record<string, string> = {
    host: input.host,
    'x-acs-action': input.action,
    'x-acs-version': input.version,
    'x-acs-date': input.date,
    'x-acs-signature-nonce': input.nonce,
    'x-acs-content-sha256': payloadHash,
    ...Object.fromEntries(Object.entries(input.extraHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  if (body !== '') headers['content-type'] = 'application/x-www-form-urlencoded';
  const signed = Object.keys(headers).sort();
  const canonicalRequest = [
    input.method,
    '/',
    canonicalQueryString(input.query),
    signed.map((name) => `${name}:${headers[name]!.trim()}\n`).join(''),
    signed.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${await sha256Hex(canonicalRequest)}`;
  const signature = await hmacSha256Hex(input.accessKeySecret, stringToSign);
  const authorization = `${ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}`;
  const { host: _host, ...sent } = headers;
  void _host;
  return {
    url: query === '' ? '/' : `/?${query}`,
    headers: { ...sent, authorization },
    body,
    canonicalRequest,
    stringToSign,
    signature,
  };
}
