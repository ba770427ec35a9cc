/**
 * Sign-in attempts per source address: at most `limit` in any `windowMs` (a sliding log of the
 * attempts' times). The operator token is long and random, so this is about not letting anyone try
 * many; an address over the limit is told when it may try again.
 */
export class SignInLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #attempts = new Map<string, number[]>();
  readonly #maxAddresses: number;

  constructor(options: { limit: number; windowMs: number; now: () => number; maxAddresses?: number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now;
    this.#maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Counts an attempt: 0 when it may go ahead, otherwise the seconds until the next one may. */
  attempt(address: string): number {
    const now = this.#now();
    const recent = (this.#attempts.get(address) ?? []).filter((t) => now - t < this.#windowMs);
    if (recent.length >= this.#limit) {
      this.#attempts.set(address, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.#windowMs - now) / 1000));
    }
    recent.push(now);
    this.#attempts.delete(address);
    if (this.#attempts.size >= this.#maxAddresses) this.#attempts.delete(this.#attempts.keys().next().value!);
    this.#attempts.set(address, recent);
    return 0;
  }
}
