import {
  MAX_SKEW_MS,
  MemoryNonceCache,
  nonceExpiresAt,
  type NonceCache,
  type NonceRequest,
} from './nonce-cache.js';

/**
 * Where the nonces of state-changing requests outlive the process: the store's request_nonces table
 * (store/request-nonces-repo.ts). `claim` is true when the pair is recorded now, false when a row still
 * live at `nowMs` holds it.
 */
export interface NonceLedger {
  claim(
    accessKeyId: string,
    nonce: string,
    expiresAtMs: number,
    nowMs: number,
    unit?: { atEnd(write: () => Promise<unknown>): void },
  ): Promise<boolean>;
}

/**
 * The embedded default's NonceCache (architecture.md, "Replay protection across restarts"): every nonce
 * is checked and kept in memory first (MemoryNonceCache), which refuses a replay within this process
 * without a statement; a request that changes state also claims its nonce in the store, in its own unit
 * of work, so a replay after a restart is refused too and changes nothing. The memory table is consulted
 * first, so two copies of one request arriving together are told apart synchronously.
 */
export class StoredNonceCache implements NonceCache {
  readonly #memory: MemoryNonceCache;
  readonly #ledger: NonceLedger;
  readonly #skewMs: number;

  constructor(ledger: NonceLedger, options: { memory?: MemoryNonceCache; skewMs?: number } = {}) {
    this.#skewMs = options.skewMs ?? MAX_SKEW_MS;
    this.#memory = options.memory ?? new MemoryNonceCache({ skewMs: this.#skewMs });
    this.#ledger = ledger;
  }

  /** Live entries of the memory table (the benchmark's stats). */
  get size(): number {
    return this.#memory.size;
  }

  async remember(
    accessKeyId: string,
    nonce: string,
    requestMs: number,
    nowMs: number,
    request?: NonceRequest,
  ): Promise<boolean> {
    if (!this.#memory.rememberSync(accessKeyId, nonce, requestMs, nowMs)) return false;
    if (request?.changesState !== true) return true;
    const expiresAt = nonceExpiresAt(requestMs, this.#skewMs);
    const atEnd = request.atEnd;
    return this.#ledger.claim(accessKeyId, nonce, expiresAt, nowMs, atEnd && { atEnd });
  }
}
