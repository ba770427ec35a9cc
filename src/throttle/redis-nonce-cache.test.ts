/**
 * The NonceCache contract (STYLE.md habit 4) against the memory and the Redis cache, then what only Redis
 * promises (issue 5, item 2): a nonce seen through one client is refused through another, exactly one of
 * concurrent uses wins, and Redis forgets it after the retention.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisReachable, SKIP_REDIS } from '../store/test-support.js';
import { MemoryNonceCache, NONCE_RETENTION_MS, type NonceCache } from './nonce-cache.js';
import { RedisNonceCache } from './redis-nonce-cache.js';
import { closeTestRedis, openTestRedis } from './test-support.js';

const T = 1_700_000_000_000;

function nonceCacheContract(make: () => NonceCache): void {
  it('refuses a replay, keeps access keys independent', async () => {
    const cache = make();
    expect(await cache.remember('AK', 'nonce-1', T)).toBe(true);
    expect(await cache.remember('AK', 'nonce-1', T)).toBe(false);
    expect(await cache.remember('AK', 'nonce-1', T + 60_000)).toBe(false);
    expect(await cache.remember('AK', 'nonce-2', T)).toBe(true);
    expect(await cache.remember('AK2', 'nonce-1', T)).toBe(true);
  });

  it('does not confuse keys and nonces that concatenate alike', async () => {
    const cache = make();
    expect(await cache.remember('AK', 'Xnonce', T)).toBe(true);
    expect(await cache.remember('AKX', 'nonce', T)).toBe(true);
  });
}

describe('NonceCache contract: memory', () => nonceCacheContract(() => new MemoryNonceCache()));

const available = await redisReachable();
describe.skipIf(!available)(`Redis nonce cache${available ? '' : ` (${SKIP_REDIS})`}`, () => {
  const prefix = `cams-test-${randomBytes(6).toString('hex')}:`;
  let redis: Redis;
  let other: Redis;
  let run = 0;

  beforeAll(async () => {
    ({ redis, other } = await openTestRedis(prefix));
  });
  afterAll(() => closeTestRedis(prefix, redis, other));

  describe('NonceCache contract: Redis', () => {
    nonceCacheContract(() => {
      const cache = new RedisNonceCache(redis);
      const p = `${run++}-`;
      return { remember: (key, nonce, now) => cache.remember(`${p}${key}`, nonce, now) };
    });
  });

  it('a nonce used through one client (instance) is refused through the other; one of racing uses wins', async () => {
    const a = new RedisNonceCache(redis);
    const b = new RedisNonceCache(other);
    expect(await a.remember('AK', 'cross', T)).toBe(true);
    expect(await b.remember('AK', 'cross', T)).toBe(false);
    const race = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).remember('AK', 'race', T)),
    );
    expect(race.filter(Boolean)).toHaveLength(1);
  });

  it('stores each nonce once with the retention as its expiry; a replay does not extend it', async () => {
    const cache = new RedisNonceCache(redis);
    await cache.remember('AK', 'ttl', T);
    const key = 'nonce:2:AK:ttl';
    const first = await redis.pttl(key);
    expect(first).toBeGreaterThan(NONCE_RETENTION_MS - 5_000);
    expect(first).toBeLessThanOrEqual(NONCE_RETENTION_MS);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await cache.remember('AK', 'ttl', T)).toBe(false);
    expect(await redis.pttl(key)).toBeLessThan(first);
  });

  it('forgets a nonce after the retention', async () => {
    const cache = new RedisNonceCache(redis, 100);
    expect(await cache.remember('AK', 'short', T)).toBe(true);
    expect(await cache.remember('AK', 'short', T)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await cache.remember('AK', 'short', T)).toBe(true);
  });
});
