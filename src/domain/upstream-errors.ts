import { ServiceError, fail, type CatalogueCode, UpstreamError } from '../errors/index.js';

/**
 * Meta's error codes (whatsapp-upstream.md §1.10) as catalogued CAMS errors whose message says what to
 * do, followed by Meta's own code and text so the operator can look it up. docs/errors.md lists them.
 */
export const BY_CODE: Readonly<Record<number, CatalogueCode>> = {
  136025: 'PhoneNumber.VerifyCodeFailed',
  136024: 'PhoneNumber.RequestCodeFailed',
  133006: 'PhoneNumber.NotVerified',
  133005: 'PhoneNumber.PinMismatch',
  133008: 'PhoneNumber.PinGuessLimit',
  133009: 'PhoneNumber.PinGuessLimit',
  133016: 'PhoneNumber.RegisterLimit',
  133010: 'PhoneNumber.NotRegistered',
  133015: 'PhoneNumber.RecentlyDeleted',
  200000: 'PhoneNumber.Exists',
  100: 'InvalidParameter',
  190: 'Upstream.TokenInvalid',
  0: 'Upstream.TokenInvalid',
  10: 'Upstream.PermissionDenied',
  4: 'Upstream.RateLimited',
  17: 'Upstream.RateLimited',
  80007: 'Upstream.RateLimited',
  80008: 'Upstream.RateLimited',
  1: 'Upstream.Unavailable',
  2: 'Upstream.Unavailable',
  131000: 'Upstream.Unavailable',
  133004: 'Upstream.Unavailable',
};

/** Subcodes of code 100 (Invalid parameter) that mean something specific for phone numbers. */
export const BY_SUBCODE: Readonly<Record<number, CatalogueCode>> = {
  2388001: 'PhoneNumber.DisplayNameNotReady',
  2388004: 'PhoneNumber.RequestCodeFailed',
  1349175: 'PhoneNumber.LimitExceeded',
};

function catalogued(error: UpstreamError): CatalogueCode {
  if (error.subcode !== undefined && BY_SUBCODE[error.subcode] !== undefined)
    return BY_SUBCODE[error.subcode]!;
  if (BY_CODE[error.code] !== undefined) return BY_CODE[error.code]!;
  if (error.code >= 200 && error.code <= 299) return 'Upstream.PermissionDenied';
  return 'Upstream.Error';
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
  if (unreachable(error)) {
    const e = fail('Upstream.Unavailable');
    return new ServiceError(
      e.code,
      e.status,
      `${e.message} (${(error as Error).name}: ${(error as Error).message})`,
    );
  }
  if (error instanceof UpstreamError) {
    const code = catalogued(error);
    const base = fail(code);
    const sub = error.subcode === undefined ? '' : `/${error.subcode}`;
    const user = error.userMessage === undefined ? '' : ` ${error.userMessage}`;
    return new ServiceError(
      base.code,
      base.status,
      `${base.message} (WhatsApp error ${error.code}${sub}: ${error.message}.${user})`,
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
