/**
 * Flow control: at most `limit` admissions per `key` in any sliding window of `windowMs`
 * (DESIGN.md: "No sliding 1-second window ever admits more than the limit"). A refused call is not
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
    let w = this.#windows.get(key);
    if (w === undefined || w.times.length !== limit) {
      w = { times: new Array<number>(limit).fill(-Infinity), next: 0, last: nowMs };
      this.#windows.set(key, w);
    }
    // times[next] is the oldest of the last `limit` admissions.
    const oldest = w.times[w.next] ?? -Infinity;
    if (nowMs - oldest < this.#windowMs) return false;
    w.times[w.next] = nowMs;
    w.next = (w.next + 1) % limit;
    w.last = nowMs;
    return true;
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
