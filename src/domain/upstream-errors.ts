import {
  ServiceError,
  fail,
  type CatalogueCode,
  UpstreamDeadlineExceeded,
  UpstreamError,
} from '../errors/index.js';

/**
 * How one Meta error (whatsapp-upstream.md §1.10, §1.3) reaches a CAMS caller: the catalogued code whose
 * HTTP status says whose move it is (4xx: the caller or their business; 503: retry later; 502: the
 * operator's token) and whose message names the cause and the next step.
 */
export interface MetaErrorRule {
  /** Meta codes the rule covers; a pair is an inclusive range. */
  readonly codes: readonly (number | readonly [number, number])[];
  /** When set, the rule covers only these codes with this `error_subcode`. */
  readonly subcode?: number;
  /** What Meta means by it. */
  readonly meaning: string;
  readonly cams: CatalogueCode;
  /** The message, where the catalogued one (a gateway code's) does not say what to do. */
  readonly message?: string;
}

const INVALID_VALUE =
  'Specified parameter is not valid: WhatsApp refused a value of the request (its message below names it); correct the value and call again.';

/**
 * Every Meta error of the phone-number operations, in lookup order: a rule with a subcode comes before
 * the rule of its code. docs/meta-errors.md is generated from this table.
 */
export const META_ERRORS: readonly MetaErrorRule[] = [
  // --- subcodes (undocumented, seen in real traffic or the spec: whatsapp-upstream.md §1.10, §1.3) ---
  {
    codes: [100],
    subcode: 33,
    meaning:
      'object does not exist, cannot be loaded due to missing permissions, or does not support this operation',
    cams: 'Upstream.ObjectNotAccessible',
  },
  {
    codes: [100],
    subcode: 2388001,
    meaning: 'Cannot Create Certificate',
    cams: 'PhoneNumber.DisplayNameNotReady',
  },
  {
    codes: [100],
    subcode: 2388004,
    meaning: 'request_code: the code could not be sent, try later',
    cams: 'PhoneNumber.RequestCodeFailed',
  },
  {
    codes: [100],
    subcode: 2388135,
    meaning: 'display name declined',
    cams: 'PhoneNumber.DisplayNameRejected',
  },
  {
    codes: [100, 200],
    subcode: 1349175,
    meaning: 'phone number limit exceeded',
    cams: 'PhoneNumber.LimitExceeded',
  },
  // --- the caller's number or request (400) ---
  { codes: [100], meaning: 'invalid parameter', cams: 'InvalidParameter', message: INVALID_VALUE },
  { codes: [131009], meaning: 'parameter value not valid', cams: 'InvalidParameter', message: INVALID_VALUE },
  {
    codes: [200000],
    meaning: 'cannot add phone number to WhatsApp Business Account',
    cams: 'PhoneNumber.AddRefused',
  },
  { codes: [133000], meaning: 'incomplete deregistration', cams: 'PhoneNumber.DeregistrationIncomplete' },
  { codes: [133005], meaning: 'two-step verification PIN mismatch', cams: 'PhoneNumber.PinMismatch' },
  { codes: [133006], meaning: 'phone number needs re-verification', cams: 'PhoneNumber.NotVerified' },
  {
    codes: [133008],
    meaning: 'too many two-step verification PIN guesses',
    cams: 'PhoneNumber.PinGuessLimit',
  },
  {
    codes: [133009],
    meaning: 'two-step verification PIN guessed too fast',
    cams: 'PhoneNumber.PinGuessLimit',
  },
  { codes: [133010], meaning: 'phone number not registered', cams: 'PhoneNumber.NotRegistered' },
  {
    codes: [131045],
    meaning: 'incorrect certificate (a registration error)',
    cams: 'PhoneNumber.NotRegistered',
  },
  { codes: [133015], meaning: 'recently deleted; wait 5 minutes', cams: 'PhoneNumber.RecentlyDeleted' },
  {
    codes: [133016],
    meaning: 'register/deregister rate limit exceeded (10 per 72 hours)',
    cams: 'PhoneNumber.RegisterLimit',
  },
  { codes: [136024], meaning: 'request_code error', cams: 'PhoneNumber.RequestCodeFailed' },
  { codes: [136025], meaning: 'verify_code error', cams: 'PhoneNumber.VerifyCodeFailed' },
  // --- the caller's business (403) ---
  { codes: [131031], meaning: 'Business Account locked', cams: 'Waba.Locked' },
  { codes: [368], meaning: 'temporarily blocked for policy violations', cams: 'Waba.PolicyBlocked' },
  // --- the operator's token (502) ---
  { codes: [0], meaning: 'AuthException', cams: 'Upstream.TokenInvalid' },
  { codes: [190], meaning: 'access token expired or invalid', cams: 'Upstream.TokenInvalid' },
  { codes: [102], meaning: 'session key invalid', cams: 'Upstream.TokenInvalid' },
  { codes: [104], meaning: 'incorrect signature', cams: 'Upstream.TokenInvalid' },
  { codes: [3], meaning: 'capability or permission issue', cams: 'Upstream.PermissionDenied' },
  { codes: [10], meaning: 'permission denied', cams: 'Upstream.PermissionDenied' },
  { codes: [[200, 299]], meaning: 'permission denied', cams: 'Upstream.PermissionDenied' },
  // --- retry later (503) ---
  { codes: [4], meaning: 'app call rate limit', cams: 'Upstream.RateLimited' },
  { codes: [17], meaning: 'user call rate limit', cams: 'Upstream.RateLimited' },
  { codes: [80007], meaning: 'WhatsApp Business Account rate limit reached', cams: 'Upstream.RateLimited' },
  {
    codes: [80008],
    meaning: 'too many calls to this WhatsApp Business Account',
    cams: 'Upstream.RateLimited',
  },
  {
    codes: [1],
    meaning: 'API unknown (also an answer without an error object)',
    cams: 'Upstream.Unavailable',
  },
  { codes: [2], meaning: 'service temporarily unavailable', cams: 'Upstream.Unavailable' },
  { codes: [131000], meaning: 'something went wrong', cams: 'Upstream.Unavailable' },
  { codes: [133004], meaning: 'registration server temporarily unavailable', cams: 'Upstream.Unavailable' },
];

const covers = (rule: MetaErrorRule, code: number) =>
  rule.codes.some((c) => (typeof c === 'number' ? c === code : code >= c[0] && code <= c[1]));

/** The rule for a Meta error; undefined for a code the table does not list. */
export function metaErrorRule(error: Pick<UpstreamError, 'code' | 'subcode'>): MetaErrorRule | undefined {
  return META_ERRORS.find(
    (r) => covers(r, error.code) && (r.subcode === undefined || r.subcode === error.subcode),
  );
}

/** An unlisted code: transient ones may be retried, the rest are Upstream.Error. */
function unlisted(error: UpstreamError): CatalogueCode {
  return error.transient ? 'Upstream.Unavailable' : 'Upstream.Error';
}

/** The wait Meta asked for (Retry-After or the BUC header), when the error carries it. */
function waitHint(error: UpstreamError): string {
  const ms = (error as { retryAfterMs?: unknown }).retryAfterMs;
  if (typeof ms !== 'number' || ms <= 0) return '';
  const minutes = Math.ceil(ms / 60_000);
  return ms < 60_000
    ? ` WhatsApp asks to wait ${Math.ceil(ms / 1000)} seconds.`
    : ` WhatsApp asks to wait ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** Network failures reaching upstream (fetch, sockets, timeouts): the call's outcome is unknown. */
function unreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ??
    (error as { code?: unknown }).code;
  return (
    error.name === 'AbortError' ||
    error.name === 'TimeoutError' ||
    (error.name === 'TypeError' && error.message === 'fetch failed') ||
    (typeof code === 'string' && /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(code))
  );
}

/**
 * True when upstream certainly did not carry out the call: Meta answered with a 4xx error. A 5xx, a
 * timeout or a network error leave the outcome unknown (the create may have happened).
 */
export function definitiveRefusal(error: unknown): boolean {
  return error instanceof UpstreamError && error.httpStatus < 500;
}

export function upstreamFailure(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof UpstreamDeadlineExceeded) return fail('Upstream.Timeout');
  if (unreachable(error)) {
    const e = fail('Upstream.Unavailable');
    return new ServiceError(
      e.code,
      e.status,
      `${e.message} (${(error as Error).name}: ${(error as Error).message})`,
    );
  }
  if (error instanceof UpstreamError) {
    const rule = metaErrorRule(error);
    const base = fail(rule?.cams ?? unlisted(error), rule?.message);
    const sub = error.subcode === undefined ? '' : `/${error.subcode}`;
    const user = error.userMessage === undefined ? '' : ` ${error.userMessage}`;
    return new ServiceError(
      base.code,
      base.status,
      `${base.message} (WhatsApp error ${error.code}${sub}: ${error.message.replace(/\.$/, '')}.${user})${waitHint(error)}`,
    );
  }
  throw error;
}

/** Runs an upstream call, turning its failures into catalogued errors. */
export async function upstream<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw upstreamFailure(error);
  }
}
