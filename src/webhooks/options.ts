import type { BackoffOptions } from './backoff.js';
import { STRICT_CALLBACK_URL_POLICY, type CallbackUrlPolicy } from './callback-url.js';

/** Tuning of webhook delivery. Every field has a default (DEFAULT_WEBHOOK_OPTIONS). */
export interface WebhookOptions extends BackoffOptions {
  /**
   * Whole attempt (DNS, connect, response headers, body) must finish within this. Default 3 s: a
   * receiver should acknowledge at once and work afterwards; a slow one holds a slot this long.
   */
  readonly timeoutMs: number;
  /** Attempts before an event is marked `failed` (dead letter). Default 10. */
  readonly maxAttempts: number;
  /** First retry delay; doubles per failure. Default 1 s. */
  readonly backoffBaseMs: number;
  /** Cap of the retry delay. Default 10 min. */
  readonly backoffMaxMs: number;
  /** Random extra delay, as a fraction of the delay. Default 0.2. */
  readonly jitterRatio: number;
  /** How often the outbox is polled when nothing wakes the dispatcher. Default 1 s. */
  readonly pollIntervalMs: number;
  /** Deliveries in flight at once, per dispatcher. Default 8. */
  readonly concurrency: number;
  /** Of those, at most this many for one account, so one tenant cannot hold every slot. Default 2. */
  readonly concurrencyPerAccount: number;
  /** Of those, at most this many to one receiver origin (scheme, host, port). Default 2. */
  readonly concurrencyPerOrigin: number;
  /** Consecutive failures of a receiver origin that open its circuit breaker. Default 5. */
  readonly breakerThreshold: number;
  /** How long an open breaker defers that origin's events before one probe attempt. Default 30 s. */
  readonly breakerCooldownMs: number;
  /**
   * How long a claimed row stays reserved for its dispatcher; after a crash, another dispatcher takes
   * the row over once the lease ends. Must exceed timeoutMs. Default 60 s.
   */
  readonly leaseMs: number;
  /** Response bytes read (then discarded) before the connection is closed. Default 4 KiB. */
  readonly maxResponseBytes: number;
  /** Which non-public receivers are allowed. Default: none. */
  readonly urlPolicy: CallbackUrlPolicy;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = Object.freeze({
  timeoutMs: 3_000,
  maxAttempts: 10,
  backoffBaseMs: 1_000,
  backoffMaxMs: 10 * 60_000,
  jitterRatio: 0.2,
  pollIntervalMs: 1_000,
  concurrency: 8,
  concurrencyPerAccount: 2,
  concurrencyPerOrigin: 2,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
  leaseMs: 60_000,
  maxResponseBytes: 4 * 1024,
  urlPolicy: STRICT_CALLBACK_URL_POLICY,
});

const INTEGER_FIELDS = [
  'timeoutMs',
  'maxAttempts',
  'backoffBaseMs',
  'backoffMaxMs',
  'pollIntervalMs',
  'concurrency',
  'concurrencyPerAccount',
  'concurrencyPerOrigin',
  'breakerThreshold',
  'breakerCooldownMs',
  'leaseMs',
  'maxResponseBytes',
] as const;

/** Defaults merged with overrides; throws a message naming the bad option. */
export function resolveWebhookOptions(overrides: Partial<WebhookOptions> = {}): WebhookOptions {
  const options = { ...DEFAULT_WEBHOOK_OPTIONS, ...overrides };
  for (const field of INTEGER_FIELDS) {
    const value = options[field];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`webhook option ${field} must be a positive integer, got ${String(value)}`);
    }
  }
  if (!(options.jitterRatio >= 0 && options.jitterRatio <= 1)) {
    throw new RangeError(`webhook option jitterRatio must be between 0 and 1, got ${options.jitterRatio}`);
  }
  // The lease is what keeps a second dispatcher off a row; it must outlive the attempt it protects.
  if (options.leaseMs <= options.timeoutMs + 1_000) {
    throw new RangeError(
      `webhook option leaseMs (${options.leaseMs}) must exceed timeoutMs (${options.timeoutMs}) by more than 1000`,
    );
  }
  return Object.freeze(options);
}
