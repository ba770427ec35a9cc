/**
 * Failed sign-in attempts per source address: after `limit` failures within `windowMs` (a sliding log of
 * their times) the address may not try again, even with the right token, until the oldest leaves the
 * window. The operator token is long and random; this is about not letting anyone try many.
 */
export class SignInLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #failures = new Map<string, number[]>();
  readonly #maxAddresses: number;

  constructor(options: { limit: number; windowMs: number; now: () => number; maxAddresses?: number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now;
    this.#maxAddresses = options.maxAddresses ?? 10_000;
  }

  #recent(address: string, now: number): number[] {
    return (this.#failures.get(address) ?? []).filter((t) => now - t < this.#windowMs);
  }

  /** 0 when the address may try now, otherwise the seconds until it may. */
  wait(address: string): number {
    const now = this.#now();
    const recent = this.#recent(address, now);
    if (recent.length < this.#limit) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.#windowMs - now) / 1000));
  }

  /** Counts a failed attempt. */
  failed(address: string): void {
    const now = this.#now();
    const recent = this.#recent(address, now);
    recent.push(now);
    this.#failures.delete(address);
    if (this.#failures.size >= this.#maxAddresses) this.#failures.delete(this.#failures.keys().next().value!);
    this.#failures.set(address, recent);
  }
}
