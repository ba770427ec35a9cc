import { UpstreamError } from '../../errors/index.js';

/** Meta's error envelope (whatsapp-upstream.md §0.4, §1.10). */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
  is_transient?: boolean;
}

/** An UpstreamError read off the wire, with what the Graph API adds: trace ID, type, a wait hint. */
export class GraphApiError extends UpstreamError {
  /** Meta `fbtrace_id`: quote it to Meta support (whatsapp-upstream.md §1.10). */
  readonly fbtraceId: string | undefined;
  /** Meta `type`: OAuthException, GraphMethodException. */
  readonly type: string | undefined;
  /** How long Meta asked to wait (Retry-After or x-business-use-case-usage), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    init: ConstructorParameters<typeof UpstreamError>[0] & {
      fbtraceId?: string;
      type?: string;
      retryAfterMs?: number;
    },
  ) {
    super(init);
    this.name = 'GraphApiError';
    this.fbtraceId = init.fbtraceId;
    this.type = init.type;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Reads `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3). */
function retryAfterHeader(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * `x-business-use-case-usage` (whatsapp-upstream.md §1.1, §1.12): `{"<business-id>":[{"type":...,
 * "call_count":.., "estimated_time_to_regain_access": <minutes>}]}`. The longest wait of any entry, in ms.
 */
function bucHeader(value: string | null): number | undefined {
  if (value === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  let minutes: number | undefined;
  for (const entries of Object.values(parsed as Record<string, unknown>)) {
    for (const entry of Array.isArray(entries) ? entries : [entries]) {
      const m = (entry as { estimated_time_to_regain_access?: unknown } | null)
        ?.estimated_time_to_regain_access;
      if (typeof m === 'number' && m > 0) minutes = Math.max(minutes ?? 0, m);
    }
  }
  return minutes === undefined ? undefined : minutes * 60_000;
}

/** The wait Meta asks for, from either header (the longer one), in ms. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const waits = [
    retryAfterHeader(headers.get('retry-after'), now),
    bucHeader(headers.get('x-business-use-case-usage')),
  ].filter((w): w is number => w !== undefined);
  return waits.length === 0 ? undefined : Math.max(...waits);
}

/**
 * The error of a non-2xx Graph response. A body without Meta's envelope (a proxy's 502 page, a bare 429)
 * becomes code 4 (rate limit) for 429, code 2 (service unavailable, whatsapp-upstream.md §1.10) for 5xx, else
 * code 1.
 */
export function parseGraphError(
  status: number,
  bodyText: string,
  headers: Headers,
  now: number,
): GraphApiError {
  let body: GraphErrorBody | undefined;
  try {
    const parsed = JSON.parse(bodyText) as { error?: unknown };
    if (parsed !== null && typeof parsed.error === 'object' && parsed.error !== null) {
      body = parsed.error as GraphErrorBody;
    }
  } catch {
    body = undefined;
  }
  const wait = retryAfterMs(headers, now);
  const common = {
    httpStatus: status,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  };
  if (body === undefined || typeof body.code !== 'number') {
    const code = status === 429 ? 4 : status >= 500 ? 2 : 1;
    const snippet = bodyText.replace(/\s+/g, ' ').trim().slice(0, 120);
    return new GraphApiError({
      ...common,
      code,
      message: `HTTP ${status} from the Graph API without an error object${snippet === '' ? '' : `: ${snippet}`}`,
      transient: status === 429 || status >= 500,
    });
  }
  return new GraphApiError({
    ...common,
    code: body.code,
    message: typeof body.message === 'string' ? body.message : `Graph API error ${body.code}`,
    ...(typeof body.error_subcode === 'number' ? { subcode: body.error_subcode } : {}),
    ...(typeof body.error_user_title === 'string' ? { userTitle: body.error_user_title } : {}),
    ...(typeof body.error_user_msg === 'string' ? { userMessage: body.error_user_msg } : {}),
    ...(typeof body.fbtrace_id === 'string' ? { fbtraceId: body.fbtrace_id } : {}),
    ...(typeof body.type === 'string' ? { type: body.type } : {}),
    transient: body.is_transient === true,
  });
}

/** Tokens never reach a log line or an error message: Authorization values and access_token params. */
export function redact(text: string): string {
  return text
    .replace(/(access_token=)[^&\s"']+/gi, '$1[REDACTED]')
    .replace(/(Bearer\s+)[^\s"',]+/gi, '$1[REDACTED]')
    .replace(/("access_token"\s*:\s*")[^"]*/gi, '$1[REDACTED]');
}
