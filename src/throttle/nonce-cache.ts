import { D, digest } from './nonce-digest.js';

/**
 * How far a request's timestamp may be from the server's clock (cams-api.md §3.3: ±15
 * minutes). Authentication refuses requests outside it, so a request stamped `t` can be replayed only
 * until `t + MAX_SKEW_MS`, and its nonce needs to be kept until then and no longer.
 */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * Replay protection: a signature nonce may be used once per access key while its request could still
 * pass the timestamp check.
 */
export interface NonceCache {
  /**
   * True the first time (accessKeyId, nonce) is seen; false for a replay. The pair is kept until the
   * request stamped `requestMs` (authentication has checked it to be within MAX_SKEW_MS of `nowMs`)
   * fails the timestamp check, that is through `requestMs + MAX_SKEW_MS` inclusive.
   */
  remember(
    accessKeyId: string,
    nonce: string,
    requestMs: number,
    nowMs: number,
    request?: NonceRequest,
  ): Promise<boolean>;
}

/** What a cache that keeps some nonces beyond the process needs to know of the request. */
export interface NonceRequest {
  /** The request changes state (`ActionSpec.writes`): its nonce must outlive a restart. */
  readonly changesState: boolean;
  /** The request's unit of work (store/durability.ts): defers a write to its end. */
  readonly atEnd?: (write: () => Promise<unknown>) => void;
}

/** The last instant (ms) at which a request stamped `requestMs` passes the timestamp check. */
export function nonceExpiresAt(requestMs: number, skewMs: number = MAX_SKEW_MS): number {
  return requestMs + skewMs;
}

/** Words per slot: the four digest words, then the expiry (whole seconds since the epoch, 0 = empty). */
const SLOT = 5;
/** The table is resized when this share of its slots is in use (live, or expired and not swept yet)... */
const MAX_LOAD = 0.8;
/** ...or when less than this share is (and it is larger than its initial size)... */
const MIN_LOAD = 0.125;
/** ...to a size that what is in use fills to this share. */
const TARGET_LOAD = 0.55;
/** A resize moves the old table's entries within this share of the new table's size in calls. */
const MOVE_WITHIN = 0.05;
/** Slots each call sweeps for expired entries. */
const SWEEP = 8;
const TICK_MS = 1000;

export interface MemoryNonceCacheOptions {
  /** The timestamp tolerance the nonces are kept for; MAX_SKEW_MS unless testing. */
  skewMs?: number;
  /** Slots to start with (at least 16), and the fewest a resize shrinks to; 1024 by default. */
  initialCapacity?: number;
}

/** The slot a digest's probe starts at: d0 scaled to [0, capacity) (any capacity, not only powers of 2). */
function home(d0: number, capacity: number): number {
  return Math.floor(d0 * capacity * 2 ** -32);
}

/** Copies slot `from` of `src` to the first empty slot of `dst` from the entry's home. */
function place(src: Uint32Array, from: number, dst: Uint32Array, capacity: number): void {
  let j = home(src[from]!, capacity);
  while (dst[j * SLOT + 4] !== 0) j = j + 1 === capacity ? 0 : j + 1;
  const to = j * SLOT;
  dst[to] = src[from]!;
  dst[to + 1] = src[from + 1]!;
  dst[to + 2] = src[from + 2]!;
  dst[to + 3] = src[from + 3]!;
  dst[to + 4] = src[from + 4]!;
}

/**
 * In memory, compact: each (accessKeyId, nonce) is a 128-bit keyed digest in an open-addressing,
 * linear-probing hash table in one Uint32Array, with its expiry (whole seconds, rounded up, so never
 * before `requestMs + skew`) in the slot: 20 bytes per slot, no JS object or string per entry.
 *
 * Expired entries are reclaimed in place: each call sweeps the next 8 slots and deletes what has
 * expired by backward shifting (so probe chains stay whole and no tombstone is left), visiting the
 * whole table every capacity / 8 calls. Until swept, a lookup probes past an expired entry and an
 * insertion may reuse its slot. So at a steady rate nothing is allocated, and the table is resized only
 * when what is in it outgrows 80% of it or falls under 12.5%, to a size it fills to 55%: memory follows
 * the live entries at 25-36 bytes each, plus the few expired ones not swept yet.
 *
 * A resize is incremental, so the event loop never stops for a whole table (a stop-the-world copy of
 * a few million slots takes a few hundred ms): new entries go to the new table, each call also moves
 * the live entries of the next slots of the old one, enough for all of it to be moved within
 * 0.05 × the new size in calls (about 16 slots a call when growing), long before the new table could
 * fill up, and a lookup checks both tables until the old one is done with. Every operation is O(1)
 * amortised, the resizes paid for by the insertions that made them due.
 *
 * `size` counts live entries through a ring of per-second counts of expiries covering the longest
 * possible retention (2 × skew), drained as the clock advances: O(1) per call, no scan.
 */
export class MemoryNonceCache implements NonceCache {
  readonly #skewMs: number;
  readonly #minCapacity: number;
  /** The table, and its slots, slots in use (live or expired), the use that triggers a resize. */
  #slots: Uint32Array;
  #capacity: number;
  #used = 0;
  #maxUsed: number;
  /** Insertions since the table was allocated (a shrink waits for capacity / 4, to be amortised). */
  #inserted = 0;
  /** The next slot to sweep. */
  #cursor = 0;
  /** While a resize is in progress: the previous table (only read), the next slot of it to move. */
  #old: Uint32Array | undefined;
  #oldCapacity = 0;
  #moved = 0;
  #movePerCall = 0;
  /** Live entries per expiry second, indexed by second & #ringMask, for seconds from #clock on. */
  readonly #expiring: Uint32Array;
  readonly #ringMask: number;
  /** The latest second seen (ceil(nowMs / 1000)); everything before it is drained from the ring. */
  #clock = 0;
  #size = 0;

  constructor(options: MemoryNonceCacheOptions = {}) {
    this.#skewMs = options.skewMs ?? MAX_SKEW_MS;
    this.#minCapacity = Math.max(16, Math.ceil(options.initialCapacity ?? 1024));
    this.#capacity = this.#minCapacity;
    this.#slots = new Uint32Array(this.#capacity * SLOT);
    this.#maxUsed = Math.floor(this.#capacity * MAX_LOAD);
    let ring = 2;
    while (ring < Math.ceil((2 * this.#skewMs) / TICK_MS) + 2) ring *= 2;
    this.#expiring = new Uint32Array(ring);
    this.#ringMask = ring - 1;
  }

  async remember(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean> {
    return this.rememberSync(accessKeyId, nonce, requestMs, nowMs);
  }

  rememberSync(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): boolean {
    // An entry expiring at second e is live at nowMs iff nowMs <= e * 1000, i.e. e >= ceil(nowMs / 1000).
    const now = Math.ceil(nowMs / TICK_MS);
    this.#advanceTo(now);
    if (this.#old !== undefined) this.#move(now, this.#movePerCall);
    this.#sweep(now);
    if (
      this.#used >= this.#maxUsed ||
      (this.#used < this.#capacity * MIN_LOAD &&
        this.#inserted >= this.#capacity >>> 2 &&
        this.#capacity > this.#minCapacity)
    ) {
      this.#startResize(now);
    }
    digest(accessKeyId, nonce);
    const d0 = D[0]!;
    const d1 = D[1]!;
    const d2 = D[2]!;
    const d3 = D[3]!;
    const slots = this.#slots;
    const capacity = this.#capacity;
    let i = home(d0, capacity);
    let reuse = -1;
    for (;;) {
      const at = i * SLOT;
      const e = slots[at + 4]!;
      if (e === 0) break;
      if (slots[at] === d0 && slots[at + 1] === d1 && slots[at + 2] === d2 && slots[at + 3] === d3) {
        if (e >= now) return false;
        // Seen before but expired: the pair is in the table at most once, so take its own slot.
        reuse = i;
        break;
      }
      if (reuse < 0 && e < now) reuse = i;
      i = i + 1 === capacity ? 0 : i + 1;
    }
    if (this.#old !== undefined && this.#findLive(this.#old, this.#oldCapacity, d0, d1, d2, d3, now)) {
      return false;
    }
    const expiry = Math.ceil(nonceExpiresAt(requestMs, this.#skewMs) / TICK_MS);
    // Only a request that already fails the timestamp check expires before now; nothing to keep.
    if (expiry < now || expiry < 1) return true;
    if (reuse >= 0) {
      i = reuse;
    } else {
      this.#used++;
    }
    const at = i * SLOT;
    slots[at] = d0;
    slots[at + 1] = d1;
    slots[at + 2] = d2;
    slots[at + 3] = d3;
    slots[at + 4] = expiry;
    this.#inserted++;
    this.#count(expiry);
    return true;
  }

  /** Live entries as of the latest clock seen. */
  get size(): number {
    return this.#size;
  }

  /**
   * Slots allocated (20 bytes each), the old table's included while a resize is in progress;
   * observable so tests can check that memory is reclaimed.
   */
  get capacity(): number {
    return this.#capacity + (this.#old === undefined ? 0 : this.#oldCapacity);
  }

  /** Brings `size` up to `nowMs` without a request. */
  advance(nowMs: number): void {
    this.#advanceTo(Math.ceil(nowMs / TICK_MS));
  }

  /** Counts a new live entry in the ring (entries from before the latest clock seen are not counted). */
  #count(expiry: number): void {
    if (expiry < this.#clock) return;
    // Only beyond the longest possible retention (a request outside the skew): counted as if expiring
    // at the ring's end, so `size` under-counts it after that; the table keeps the true expiry.
    const e = Math.min(expiry, this.#clock + this.#ringMask);
    this.#expiring[e & this.#ringMask]!++;
    this.#size++;
  }

  #advanceTo(now: number): void {
    const from = this.#clock;
    if (!(now > from)) return;
    const ring = this.#expiring;
    const steps = Math.min(now - from, ring.length);
    for (let k = 0; k < steps; k++) {
      const b = (from + k) & this.#ringMask;
      this.#size -= ring[b]!;
      ring[b] = 0;
    }
    this.#clock = now;
  }

  #findLive(
    slots: Uint32Array,
    capacity: number,
    d0: number,
    d1: number,
    d2: number,
    d3: number,
    now: number,
  ): boolean {
    for (let i = home(d0, capacity); ; i = i + 1 === capacity ? 0 : i + 1) {
      const at = i * SLOT;
      const e = slots[at + 4]!;
      if (e === 0) return false;
      if (slots[at] === d0 && slots[at + 1] === d1 && slots[at + 2] === d2 && slots[at + 3] === d3) {
        return e >= now;
      }
    }
  }

  /**
   * Visits the next SWEEP slots (deletions' shifting counts towards them), deleting what has expired
   * by `now`. The ring is not touched: what expired before `now` is drained from it already (the clock
   * is at least `now`) or was never counted. The same holds for what a resize leaves behind.
   */
  #sweep(now: number): void {
    const slots = this.#slots;
    const capacity = this.#capacity;
    let p = this.#cursor;
    for (let budget = SWEEP; budget > 0; budget--) {
      const e = slots[p * SLOT + 4]!;
      if (e !== 0 && e < now) {
        // Stay on p: the entry shifted into it is visited next.
        budget -= this.#delete(slots, capacity, p);
        this.#used--;
      } else {
        p = p + 1 === capacity ? 0 : p + 1;
      }
    }
    this.#cursor = p;
  }

  /**
   * Empties slot i by backward shifting (Knuth 6.4, algorithm R): each later entry of the cluster that
   * may move back to the hole (its home is not cyclically in (hole, its slot]) does, and leaves the hole
   * behind it, so every entry stays reachable from its home without crossing an empty slot. Returns the
   * slots looked at.
   */
  #delete(slots: Uint32Array, capacity: number, i: number): number {
    let hole = i;
    let j = i;
    let looked = 0;
    for (;;) {
      j = j + 1 === capacity ? 0 : j + 1;
      looked++;
      const at = j * SLOT;
      if (slots[at + 4] === 0) break;
      const h = home(slots[at]!, capacity);
      if (hole <= j ? hole < h && h <= j : hole < h || h <= j) continue;
      slots.copyWithin(hole * SLOT, at, at + SLOT);
      hole = j;
    }
    slots[hole * SLOT + 4] = 0;
    return looked;
  }

  /** Starts moving into a new table sized for what is in use (finishing a resize still in progress). */
  #startResize(now: number): void {
    if (this.#old !== undefined) this.#move(now, Infinity);
    const capacity = Math.max(this.#minCapacity, Math.ceil(this.#used / TARGET_LOAD));
    this.#old = this.#slots;
    this.#oldCapacity = this.#capacity;
    this.#moved = 0;
    this.#movePerCall = Math.ceil(this.#oldCapacity / (MOVE_WITHIN * capacity));
    this.#slots = new Uint32Array(capacity * SLOT);
    this.#capacity = capacity;
    this.#used = 0;
    this.#maxUsed = Math.floor(capacity * MAX_LOAD);
    this.#inserted = 0;
    this.#cursor = 0;
    this.#move(now, this.#movePerCall);
  }

  /**
   * Moves the live entries of the old table's next `count` slots into the table (what expired stays
   * behind, see #sweep on the ring); drops the old table once it is all moved.
   */
  #move(now: number, count: number): void {
    const old = this.#old!;
    const end = Math.min(this.#oldCapacity, this.#moved + count);
    for (let i = this.#moved; i < end; i++) {
      const from = i * SLOT;
      const e = old[from + 4]!;
      if (e === 0 || e < now) continue;
      place(old, from, this.#slots, this.#capacity);
      this.#used++;
    }
    this.#moved = end;
    if (end === this.#oldCapacity) this.#old = undefined;
  }
}
