import type { Redis } from 'ioredis';
import { NONCE_RETENTION_MS, type NonceCache } from './nonce-cache.js';

/**
 * The NonceCache of several instances (issue 5, item 2): a nonce seen by one instance is refused by all.
 * One `SET key 1 NX PX retention` per request: atomic, so of two instances racing with the same nonce
 * exactly one wins, and Redis drops the key when the retention ends, so memory is bounded by the request
 * rate times the retention. A refused replay does not extend the retention (NX leaves the key alone).
 * The expiry runs on Redis's clock; `nowMs` is not needed.
 */
export class RedisNonceCache implements NonceCache {
  readonly #redis: Redis;
  readonly #retentionMs: number;

  constructor(redis: Redis, retentionMs: number = NONCE_RETENTION_MS) {
    this.#redis = redis;
    this.#retentionMs = retentionMs;
  }

  async remember(accessKeyId: string, nonce: string, _nowMs: number): Promise<boolean> {
    // The key's length first, so ('AK', 'Xn') and ('AKX', 'n') stay different keys.
    const key = `nonce:${accessKeyId.length}:${accessKeyId}:${nonce}`;
    return (await this.#redis.set(key, '1', 'PX', this.#retentionMs, 'NX')) === 'OK';
  }
}
