/** When a receiver may be tried: now, not before `until` (open), or only by the probe in flight. */
export type BreakerVerdict =
  | { readonly state: 'closed' }
  | { readonly state: 'open'; readonly until: number; readonly failures: number }
  | { readonly state: 'probing' };

interface Entry {
  /** Consecutive failed attempts since the last success. */
  failures: number;
  /** While open: when the next (probe) attempt may start. */
  openUntil: number;
  /** A half-open probe is in flight: no other attempt until it ends. */
  probing: boolean;
}

export interface CircuitBreakerOptions {
  /** Consecutive failures (timeouts, connection errors, non-2xx answers) that open a receiver's breaker. */
  readonly threshold: number;
  /** How long an open breaker stops attempts before one probe is let through. */
  readonly cooldownMs: number;
}

/**
 * One circuit breaker per receiver origin (scheme, host, port), in this process. After `threshold`
 * consecutive failures the breaker opens: no attempt to that origin for `cooldownMs`; then one probe
 * (half-open) is let through: its success closes the breaker, its failure opens it again for another
 * cool-down. Only origins with failures are kept, so memory grows with the failing receivers, not with
 * all of them.
 */
export class CircuitBreakers {
  readonly #options: CircuitBreakerOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
  }

  /** Whether an attempt to `origin` may start at `now`; `closed` includes a half-open breaker's probe. */
  check(origin: string, now: number): BreakerVerdict {
    const entry = this.#entries.get(origin);
    if (entry === undefined || entry.failures < this.#options.threshold) return { state: 'closed' };
    if (entry.probing) return { state: 'probing' };
    if (now < entry.openUntil) return { state: 'open', until: entry.openUntil, failures: entry.failures };
    return { state: 'closed' };
  }

  /**
   * Tells the breaker an attempt is starting (after `check` allowed it). After a cool-down this attempt
   * is the probe: others wait until it ends. One allowed before the breaker opened (it opened while the
   * attempt was being claimed) is an ordinary attempt: its failure does not extend the cool-down.
   */
  started(origin: string, now: number): void {
    const entry = this.#entries.get(origin);
    if (entry !== undefined && entry.failures >= this.#options.threshold && now >= entry.openUntil) {
      entry.probing = true;
    }
  }

  /** Ends an attempt; returns `opened` when this failure opened (or re-opened) the breaker. */
  ended(origin: string, ok: boolean, now: number): 'opened' | 'closed' | undefined {
    const entry = this.#entries.get(origin);
    if (ok) {
      if (entry === undefined) return undefined;
      this.#entries.delete(origin);
      return entry.failures >= this.#options.threshold ? 'closed' : undefined;
    }
    const current = entry ?? { failures: 0, openUntil: 0, probing: false };
    const wasProbe = current.probing;
    current.probing = false;
    current.failures += 1;
    this.#entries.set(origin, current);
    if (
      current.failures === this.#options.threshold ||
      (wasProbe && current.failures > this.#options.threshold)
    ) {
      current.openUntil = now + this.#options.cooldownMs;
      return 'opened';
    }
    // Attempts started before the breaker opened and failing after it: the cool-down stands.
    return undefined;
  }
}

/** Shared by the URLs without an origin (never stored: enqueue refuses them), kept out of logs as they are. */
const NO_ORIGIN = '(no origin)';

/** The breaker key of a callback URL: its origin (scheme, host, port), which carries no secret. */
export function originOf(url: string): string {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? NO_ORIGIN : origin;
  } catch {
    return NO_ORIGIN;
  }
}
