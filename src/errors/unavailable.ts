import { fail, type ServiceError } from './catalogue.js';

/** A dependency cannot be reached: the catalogued, retryable ServiceUnavailable, with what it threw as `cause`. */
export function unavailable(cause: unknown): ServiceError {
  const error = fail('ServiceUnavailable');
  error.cause = cause;
  return error;
}

/** System errors of a connection that was refused, reset or timed out, or of a name that did not resolve. */
const NETWORK_CODES =
  /^(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/;

/**
 * Whether `error`, or an error it was caused by (`cause`, AggregateError members, a few levels deep),
 * matches: by its `code` against `codes`, or by its message against `messages`. Network system errors
 * always match.
 */
export function causedBy(
  error: unknown,
  codes: RegExp | undefined,
  messages: RegExp | undefined,
  depth = 0,
): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.test(code) || codes?.test(code) === true)) return true;
  if (messages?.test(error.message) === true) return true;
  if (error instanceof AggregateError && error.errors.some((e) => causedBy(e, codes, messages, depth + 1)))
    return true;
  return causedBy(error.cause, codes, messages, depth + 1);
}
