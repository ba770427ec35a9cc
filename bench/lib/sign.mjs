// Signature V3 (ACS3-HMAC-SHA256) for pre-signed benchmark requests, written from
// cams-api.md §2.2.1 with node:crypto only (independent of the service's own verifier, and
// checked against the worked example of cams-api.md §2.2.3 by selfTest()).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { stringify } from 'node:querystring';

const ALGORITHM = 'ACS3-HMAC-SHA256';
const VERSION = '2020-06-06';
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** Alibaba's RFC 3986 `encode` (cams-api.md §2.2.1 step 6). */
export function encode(value) {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `yyyy-MM-ddTHH:mm:ssZ` (cams-api.md §2.2.1 step 2). */
export function timestamp(ms = Date.now()) {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/**
 * The Authorization value for one request. `headers` are lower-case names -> values; every x-acs-*
 * header, host and content-type are signed, as the SDK does.
 */
export function authorization({ method, query, headers, payloadHash, accessKeyId, accessKeySecret }) {
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${k}=${encode(query[k])}`)
    .join('&');
  const signed = Object.keys(headers)
    .filter((h) => h.startsWith('x-acs-') || h === 'host' || h === 'content-type')
    .sort();
  const canonicalHeaders = signed.map((h) => `${h}:${String(headers[h]).trim()}\n`).join('');
  const signedHeaders = signed.join(';');
  const canonicalRequest = [method, '/', canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join(
    '\n',
  );
  const stringToSign = `${ALGORITHM}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
  const signature = createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
  return `${ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

/** Hands out 32-hex-char nonces, many at a time (one randomBytes call per 4096 nonces). */
export class NonceSource {
  #hex = '';
  #at = 0;
  next() {
    if (this.#at >= this.#hex.length) {
      this.#hex = randomBytes(16 * 4096).toString('hex');
      this.#at = 0;
    }
    const nonce = this.#hex.slice(this.#at, this.#at + 32);
    this.#at += 32;
    return nonce;
  }
}

/**
 * One V3 request as the official Node SDK puts it on the wire (cams-api.md §2.1, §2.2.1): POST /, business
 * parameters in the form body (`body`) or the query (`query`), ready for autocannon.
 */
export function signedRequest({ host, action, query = {}, body, key, nonce, date }) {
  const bodyText = body === undefined ? '' : stringify(body);
  const payloadHash = bodyText === '' ? EMPTY_SHA256 : createHash('sha256').update(bodyText).digest('hex');
  const headers = {
    host,
    'x-acs-action': action,
    'x-acs-version': VERSION,
    'x-acs-date': date,
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': payloadHash,
    'x-acs-credentials-provider': 'static_ak',
  };
  if (bodyText !== '') headers['content-type'] = 'application/x-www-form-urlencoded';
  const auth = authorization({
    method: 'POST',
    query,
    headers,
    payloadHash,
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
  });
  const qs = stringify(query);
  return {
    method: 'POST',
    path: qs === '' ? '/' : `/?${qs}`,
    headers: {
      ...headers,
      accept: 'application/json',
      'user-agent': 'cams-bench (autocannon)',
      authorization: auth,
      ...(bodyText === '' ? { 'content-length': '0' } : {}),
    },
    body: bodyText,
  };
}

/** The two worked examples of cams-api.md §2.2.3; throws if this signer disagrees. */
export function selfTest() {
  const key = { accessKeyId: 'YourAccessKeyId', accessKeySecret: 'YourAccessKeySecret' };
  const common = {
    host: 'cams.ap-southeast-1.aliyuncs.com',
    key,
    nonce: '3156853299f313e23d1673dc12e1703d',
    date: '2024-01-01T00:00:00Z',
  };
  const add = signedRequest({
    ...common,
    action: 'AddChatappPhoneNumber',
    body: {
      Cc: '86',
      CustSpaceId: '93928389****',
      PhoneNumber: '1380000****',
      VerifiedName: 'Alibaba Cloud',
    },
  });
  const query = signedRequest({
    ...common,
    action: 'QueryChatappPhoneNumbers',
    query: { CustSpaceId: '93928389****', Status: 'VERIFIED' },
  });
  const expect = [
    [add, 'e6e17a74dc32d592c4feb91bb12068510724d9432895ea63460eaaaa1acc77c6'],
    [query, 'ef833c14e46d5e5ac461a982a2fc82cff3a98b516bf0a987601420d1b73ad96b'],
  ];
  for (const [req, signature] of expect) {
    if (!req.headers.authorization.endsWith(`Signature=${signature}`)) {
      throw new Error(`bench signer disagrees with cams-api.md §2.2.3: ${req.headers.authorization}`);
    }
  }
}
