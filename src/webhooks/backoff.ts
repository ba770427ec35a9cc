/** Exponential backoff settings; see WebhookOptions. */
export interface BackoffOptions {
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly jitterRatio: number;
}

/**
 * Delay before the next attempt after `failedAttempts` failures (1, 2, ...): base × 2^(n-1), capped,
 * plus up to `jitterRatio` of itself at random (still within the cap) so receivers that come back
 * after an outage are not hit by every queued event in the same instant. `random` returns [0, 1).
 */
export function backoffDelayMs(
  failedAttempts: number,
  options: BackoffOptions,
  random: () => number,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const nominal = Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** exponent);
  return Math.min(options.backoffMaxMs, Math.round(nominal * (1 + options.jitterRatio * random())));
}
