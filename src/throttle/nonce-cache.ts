/**
 * Replay protection: a signature nonce may be used once per access key while its request could still
 * pass the timestamp check (reference/cams-api.md §3.3: ±15 minutes, so nonces are kept 30 minutes).
 */
export interface NonceCache {
  /** True the first time (key, nonce) is seen within the retention window; false for a replay. */
  remember(accessKeyId: string, nonce: string, nowMs: number): Promise<boolean>;
}

export const NONCE_RETENTION_MS = 30 * 60 * 1000;

/**
 * In memory: a map plus an insertion-ordered expiry queue, so expired nonces are dropped in order and
 * memory is bounded by the request rate times the retention window.
 */
export class MemoryNonceCache implements NonceCache {
  readonly #seen = new Map<string, number>();
  readonly #retentionMs: number;

  constructor(retentionMs: number = NONCE_RETENTION_MS) {
    this.#retentionMs = retentionMs;
  }

  async remember(accessKeyId: string, nonce: string, nowMs: number): Promise<boolean> {
    return this.rememberSync(accessKeyId, nonce, nowMs);
  }

  rememberSync(accessKeyId: string, nonce: string, nowMs: number): boolean {
    this.#expire(nowMs);
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.#seen.has(key)) return false;
    // Map iteration order is insertion order, and insertion times only grow, so the map is its own queue.
    this.#seen.set(key, nowMs + this.#retentionMs);
    return true;
  }

  #expire(nowMs: number): void {
    for (const [key, expiresAt] of this.#seen) {
      if (expiresAt > nowMs) break;
      this.#seen.delete(key);
    }
  }

  get size(): number {
    return this.#seen.size;
  }
}
