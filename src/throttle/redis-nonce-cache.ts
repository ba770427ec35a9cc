import type { Redis } from 'ioredis';
import { MAX_SKEW_MS, nonceExpiresAt, type NonceCache } from './nonce-cache.js';
import { mapRedisError } from './redis-client.js';

/**
 * The NonceCache of several instances (architecture.md, "Scale-out"): a nonce seen by one instance is refused
 * by all. One `SET key 1 NX PX ttl` per request: atomic, so of two instances racing with the same nonce
 * exactly one wins, and Redis drops the key when the request's timestamp check would fail anyway, so memory
 * is bounded by the request rate times the retention. A refused replay does not extend the retention (NX
 * leaves the key alone). The ttl is the time left, on our clock, until `requestMs + skew` (at least 1 ms);
 * Redis keeps a key through its expiry instant, as the timestamp check accepts it.
 */
export class RedisNonceCache implements NonceCache {
  readonly #redis: Redis;
  readonly #skewMs: number;

  constructor(redis: Redis, skewMs: number = MAX_SKEW_MS) {
    this.#redis = redis;
    this.#skewMs = skewMs;
  }

  async remember(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean> {
    // The key's length first, so ('AK', 'Xn') and ('AKX', 'n') stay different keys.
    const key = `nonce:${accessKeyId.length}:${accessKeyId}:${nonce}`;
    const ttlMs = Math.max(1, Math.ceil(nonceExpiresAt(requestMs, this.#skewMs) - nowMs));
    const set = await this.#redis.set(key, '1', 'PX', ttlMs, 'NX').catch((error: unknown) => {
      throw mapRedisError(error);
    });
    return set === 'OK';
  }
}
