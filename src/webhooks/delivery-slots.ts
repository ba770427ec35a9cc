export interface DeliverySlotLimits {
  /** Deliveries in flight at once in this process. */
  readonly concurrency: number;
  /** Of those, at most this many for one account (tenant). */
  readonly perAccount: number;
  /** Of those, at most this many to one receiver origin, whatever the accounts. */
  readonly perOrigin: number;
}

/** What a slot was taken for; pass it back to `release`. */
export interface SlotKey {
  readonly accountId: string;
  readonly origin: string;
}

/**
 * The in-flight deliveries of one dispatcher, counted as a whole, per account and per receiver origin,
 * so that one tenant, or one receiver shared by tenants, holds at most its share of the slots however
 * slow it answers: the others' events keep the remaining slots.
 */
export class DeliverySlots {
  readonly #limits: DeliverySlotLimits;
  readonly #byAccount = new Map<string, number>();
  readonly #byOrigin = new Map<string, number>();
  #total = 0;

  constructor(limits: DeliverySlotLimits) {
    this.#limits = limits;
  }

  get inFlight(): number {
    return this.#total;
  }

  get free(): number {
    return Math.max(0, this.#limits.concurrency - this.#total);
  }

  /** Whether a delivery for this account and origin may start now. */
  allows(key: SlotKey): boolean {
    return (
      this.#total < this.#limits.concurrency &&
      (this.#byAccount.get(key.accountId) ?? 0) < this.#limits.perAccount &&
      (this.#byOrigin.get(key.origin) ?? 0) < this.#limits.perOrigin
    );
  }

  take(key: SlotKey): void {
    this.#total += 1;
    increment(this.#byAccount, key.accountId, 1);
    increment(this.#byOrigin, key.origin, 1);
  }

  release(key: SlotKey): void {
    this.#total -= 1;
    increment(this.#byAccount, key.accountId, -1);
    increment(this.#byOrigin, key.origin, -1);
  }
}

function increment(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}
