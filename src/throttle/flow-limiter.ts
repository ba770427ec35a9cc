/**
 * Flow control: at most `limit` admissions per `key` in any sliding window of `windowMs`
 * (cams-api.md §1.1: no sliding one-second window ever admits more than the limit). A refused call is not
 * counted. Implementations: in memory (one process) and, later, Redis (several instances).
 */
export interface FlowLimiter {
  tryAcquire(key: string, limit: number, nowMs: number): Promise<boolean>;
}

export const FLOW_WINDOW_MS = 1000;

/**
 * An exact sliding-window log per key: the admission times of the last window, in a ring buffer of
 * `limit` slots. A call is admitted when the oldest of the last `limit` admissions is at least a window
 * old. Memory: `limit` numbers per active key; idle keys are swept.
 */
export class MemoryFlowLimiter implements FlowLimiter {
  readonly #windows = new Map<string, { times: number[]; next: number; last: number }>();
  readonly #windowMs: number;
  #lastSweep = 0;

  constructor(windowMs: number = FLOW_WINDOW_MS) {
    this.#windowMs = windowMs;
  }

  async tryAcquire(key: string, limit: number, nowMs: number): Promise<boolean> {
    return this.tryAcquireSync(key, limit, nowMs);
  }

  tryAcquireSync(key: string, limit: number, nowMs: number): boolean {
    this.#sweep(nowMs);
    const w = this.#window(key, limit, nowMs);
    // times[next] is the oldest of the last `limit` admissions.
    const oldest = w.times[w.next] ?? -Infinity;
    if (nowMs - oldest < this.#windowMs) return false;
    w.times[w.next] = nowMs;
    w.next = (w.next + 1) % limit;
    w.last = nowMs;
    return true;
  }

  /** The key's ring, resized (keeping the newest admissions) if the limit changed. */
  #window(key: string, limit: number, nowMs: number): { times: number[]; next: number; last: number } {
    const w = this.#windows.get(key);
    if (w === undefined) {
      const fresh = { times: new Array<number>(limit).fill(-Infinity), next: 0, last: nowMs };
      this.#windows.set(key, fresh);
      return fresh;
    }
    if (nowMs < w.last) {
      // The clock stepped back (e.g. an NTP correction): shift the history with it, so the admissions
      // keep their spacing relative to now instead of locking the key out until the clock catches up.
      const shift = w.last - nowMs;
      w.times = w.times.map((t) => t - shift);
      w.last = nowMs;
    }
    if (w.times.length !== limit) {
      const chronological = [...w.times.slice(w.next), ...w.times.slice(0, w.next)];
      const kept = chronological.slice(Math.max(0, chronological.length - limit));
      w.times = [...new Array<number>(limit - kept.length).fill(-Infinity), ...kept];
      w.next = 0;
    }
    return w;
  }

  #sweep(nowMs: number): void {
    if (nowMs - this.#lastSweep < 10 * this.#windowMs) return;
    this.#lastSweep = nowMs;
    for (const [key, w] of this.#windows) if (nowMs - w.last >= this.#windowMs) this.#windows.delete(key);
  }

  /** For tests and metrics. */
  get size(): number {
    return this.#windows.size;
  }
}
