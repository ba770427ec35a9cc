import { CATALOGUE, ServiceError } from '../errors/index.js';

/** An HTTP answer, ready to write. */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

// Exactly this string: openapi-client only parses XML errors with it (cams-api.md §2.4).
export const XML_CONTENT_TYPE = 'text/xml;charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';

export interface Envelope {
  requestId: string;
  hostId: string;
  format: 'JSON' | 'XML';
  /** Root element name of an XML success (`{Action}Response`). */
  actionName: string | undefined;
  /**
   * The product answering (actions/products.ts); undefined before the Version named one (CAMS's envelope).
   * RAM and STS answer `RequestId` and the data only, as their SDK models declare.
   */
  product?: { readonly name: string; readonly envelope: 'cams' | 'plain' } | undefined;
}

/** Success: HTTP 200; AccessDeniedDetail is a string here, or the SDK's cast fails (cams-api.md §2.4). */
export function successAnswer(env: Envelope, data: Record<string, unknown>, message = 'OK'): Answer {
  if (env.product?.envelope === 'plain') {
    return render(env, 200, { RequestId: env.requestId, ...data }, `${env.actionName ?? 'Action'}Response`);
  }
  const body = {
    RequestId: env.requestId,
    Code: 'OK',
    Message: message,
    Success: true,
    AccessDeniedDetail: 'None',
    ...data,
  };
  return render(env, 200, body, `${env.actionName ?? 'Action'}Response`);
}

/** Error: the catalogued status, Code, Message, RequestId, HostId, Recommend (+ AccessDeniedDetail object). */
export function errorAnswer(env: Envelope, error: ServiceError): Answer {
  const body: Record<string, unknown> = {
    RequestId: env.requestId,
    HostId: env.hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${env.product?.name ?? 'Cams'}`,
  };
  if (error.accessDeniedDetail !== undefined) body.AccessDeniedDetail = error.accessDeniedDetail;
  return render(env, error.status, body, 'Error');
}

export function internalError(): ServiceError {
  const e = CATALOGUE.InternalError;
  return new ServiceError('InternalError', e.status, e.message);
}

function render(env: Envelope, status: number, body: Record<string, unknown>, root: string): Answer {
  if (env.format === 'XML') {
    return {
      status,
      contentType: XML_CONTENT_TYPE,
      body: `<?xml version="1.0" encoding="UTF-8"?>${xmlElement(root, body)}`,
    };
  }
  return { status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(body) };
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Everything outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]): other C0 controls, U+FFFE, U+FFFF and lone surrogates (a surrogate pair is one
 * character of the astral range and stays).
 */
const XML_NON_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text content XML can always carry: markup escaped, CR as a reference (a parser would turn a literal one
 * into LF), and any character XML 1.0 cannot represent replaced with U+FFFD, so stored or echoed text
 * never makes an answer not well-formed.
 */
export function escapeXml(text: string): string {
  return text
    .replace(XML_NON_CHAR, '\uFFFD')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!)
    .replace(/\r/g, '&#xD;');
}

/** Alibaba's XML form: objects nest, array items repeat the array's element name. */
function xmlElement(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('');
  if (value !== null && typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => (Array.isArray(v) ? `<${k}>${xmlElement(k, v)}</${k}>` : xmlElement(k, v)))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(value === undefined || value === null ? '' : String(value))}</${name}>`;
}
