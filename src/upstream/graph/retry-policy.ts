import { UpstreamError } from '../../errors/index.js';
import { GraphApiError } from './graph-error.js';

/**
 * What a retry of a call can do upstream (whatsapp-upstream.md §1.3-§1.6):
 * - `read`: nothing (GET).
 * - `idempotent`: the same effect again: register with the same PIN (whatsapp-upstream.md §1.6), a profile
 *   update with the same fields.
 * - `write`: a second effect: request_code sends another code and voids the first
 *   (whatsapp-upstream.md §1.5); a code verifies once, so a repeated verify_code is refused although the
 *   first one worked (whatsapp-upstream.md §1.5); a repeated deregister answers 133010 although the first
 *   one worked (whatsapp-upstream.md §1.6).
 * - `create`: POST /{waba}/phone_numbers (whatsapp-upstream.md §1.3), never retried blindly: the client looks
 *   the number up.
 */
export type CallKind = 'read' | 'idempotent' | 'write' | 'create';

/**
 * - `refused`: Meta certainly did not carry the call out: a rate-limit answer (HTTP 429; codes 4, 17,
 *   80007, 80008, whatsapp-upstream.md §1.10, §1.12) or a connection that was never opened (ECONNREFUSED).
 * - `transient`: the outcome is unknown and a retry may work: HTTP 5xx, `is_transient`, codes 1, 2,
 *   131000, 133004 (whatsapp-upstream.md §1.10), a timeout or a dropped connection.
 * - `final`: anything else (4xx errors such as 100, 190, 133005): retrying gives the same answer.
 */
export type FailureClass = 'refused' | 'transient' | 'final';

/**
 * Codes Meta uses for rate limits (whatsapp-upstream.md §1.10: 4 app, 17 user, 80007 WABA, 80008 too many
 * calls).
 */
export const THROTTLE_CODES: ReadonlySet<number> = new Set([4, 17, 80007, 80008]);
/**
 * Codes of temporary failures (whatsapp-upstream.md §1.10: 1 unknown, 2 unavailable, 131000 went wrong,
 * 133004 registration).
 */
export const TRANSIENT_CODES: ReadonlySet<number> = new Set([1, 2, 131000, 133004]);

const NETWORK_CODE = /^(ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/;

function causeCode(error: Error): string | undefined {
  const code = (error as { cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function classify(error: unknown): FailureClass {
  if (error instanceof UpstreamError) {
    if (error.httpStatus === 429 || THROTTLE_CODES.has(error.code)) return 'refused';
    if (error.httpStatus >= 500 || error.transient || TRANSIENT_CODES.has(error.code)) return 'transient';
    return 'final';
  }
  if (!(error instanceof Error)) return 'final';
  const code = causeCode(error);
  if (code === 'ECONNREFUSED') return 'refused';
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'transient';
  if (error.name === 'TypeError' && error.message === 'fetch failed') return 'transient';
  return code !== undefined && NETWORK_CODE.test(code) ? 'transient' : 'final';
}

/** Whether the call's outcome is unknown (a create may have happened): what the create lookup is for. */
export function outcomeUnknown(error: unknown): boolean {
  return classify(error) === 'transient';
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** First backoff; doubled per attempt. */
  readonly baseDelayMs: number;
  /** Largest backoff. */
  readonly maxDelayMs: number;
  /** A Retry-After or BUC wait longer than this fails at once instead (the error carries the wait). */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/** Exponential backoff with "equal jitter": half fixed, half random, so waits never collapse to 0. */
export function backoffMs(attempt: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type RetryDecision = { retry: false } | { retry: true; waitMs: number };

/**
 * Whether to try again after `attempt` failed attempts. Refused calls may always be retried (nothing happened
 * upstream); transient failures only for reads and idempotent calls; never a create or a write whose outcome
 * is unknown. Meta's wait (Retry-After, BUC estimated_time_to_regain_access, whatsapp-upstream.md §1.12) is
 * honoured up to maxRetryAfterMs.
 */
export function decideRetry(
  kind: CallKind,
  error: unknown,
  attempt: number,
  options: RetryOptions,
  random: () => number,
): RetryDecision {
  if (attempt >= options.maxAttempts) return { retry: false };
  const failure = classify(error);
  if (failure === 'final') return { retry: false };
  if (failure === 'transient' && (kind === 'write' || kind === 'create')) return { retry: false };
  const asked = error instanceof GraphApiError ? error.retryAfterMs : undefined;
  if (asked !== undefined && asked > options.maxRetryAfterMs) return { retry: false };
  return { retry: true, waitMs: Math.max(asked ?? 0, backoffMs(attempt, options, random)) };
}
