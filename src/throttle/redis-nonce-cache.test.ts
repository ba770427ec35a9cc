/**
 * The NonceCache contract (architecture.md, "Conventions" 4) against the memory, the stored (over SQLite)
 * and the Redis cache, each use state-changing, then
 * what only Redis promises: a nonce seen through one client is refused through another, exactly one of
 * concurrent uses wins, and Redis forgets it when its request's timestamp + 15 minutes has passed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { APP_MIGRATIONS } from '../main.js';
import { RequestNoncesRepo } from '../store/request-nonces-repo.js';
import type { Database } from '../store/schema.js';
import { openSqlite } from '../store/sqlite/open-sqlite.js';
import { StoredNonceCache } from './stored-nonce-cache.js';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisReachable, SKIP_REDIS } from '../store/test-support.js';
import { MAX_SKEW_MS, MemoryNonceCache, type NonceCache } from './nonce-cache.js';
import { RedisNonceCache } from './redis-nonce-cache.js';
import { closeTestRedis, openTestRedis } from './test-support.js';

const T = 1_700_000_000_000;
/** Every use in the contract is a state-changing request's. */
const WRITE = { changesState: true };

function nonceCacheContract(make: () => NonceCache): void {
  it('refuses a replay, keeps access keys independent', async () => {
    const cache = make();
    expect(await cache.remember('AK', 'nonce-1', T, T, WRITE)).toBe(true);
    expect(await cache.remember('AK', 'nonce-1', T, T, WRITE)).toBe(false);
    expect(await cache.remember('AK', 'nonce-1', T, T + 60_000, WRITE)).toBe(false);
    expect(await cache.remember('AK', 'nonce-2', T, T, WRITE)).toBe(true);
    expect(await cache.remember('AK2', 'nonce-1', T, T, WRITE)).toBe(true);
  });

  it('a replay stamped differently is still a replay', async () => {
    const cache = make();
    expect(await cache.remember('AK', 'restamped', T - 60_000, T, WRITE)).toBe(true);
    expect(await cache.remember('AK', 'restamped', T + 60_000, T, WRITE)).toBe(false);
  });

  it('does not confuse keys and nonces that concatenate alike', async () => {
    const cache = make();
    expect(await cache.remember('AK', 'Xnonce', T, T, WRITE)).toBe(true);
    expect(await cache.remember('AKX', 'nonce', T, T, WRITE)).toBe(true);
  });
}

describe('NonceCache contract: memory', () => nonceCacheContract(() => new MemoryNonceCache()));

describe('NonceCache contract: stored (SQLite)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cams-nonces-'));
  let db: Kysely<Database>;
  beforeAll(async () => {
    db = await openSqlite(path.join(dir, 'cams.sqlite'), { migrations: APP_MIGRATIONS });
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  let run = 0;
  nonceCacheContract(() => {
    // Each test its own keys (one store for all); after a restart: stored-nonce-cache.test.ts.
    const p = `${run++}-`;
    const cache = new StoredNonceCache(new RequestNoncesRepo(db));
    const remember: NonceCache['remember'] = (key, nonce, stamp, now, request) =>
      cache.remember(`${p}${key}`, nonce, stamp, now, request);
    return { remember };
  });
});

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
      return { remember: (key, nonce, stamp, now) => cache.remember(`${p}${key}`, nonce, stamp, now) };
    });
  });

  it('a nonce used through one client (instance) is refused through the other; one of racing uses wins', async () => {
    const a = new RedisNonceCache(redis);
    const b = new RedisNonceCache(other);
    expect(await a.remember('AK', 'cross', T, T)).toBe(true);
    expect(await b.remember('AK', 'cross', T, T)).toBe(false);
    const race = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).remember('AK', 'race', T, T)),
    );
    expect(race.filter(Boolean)).toHaveLength(1);
  });

  it('stores each nonce once, expiring at its timestamp + 15 minutes; a replay does not extend it', async () => {
    const cache = new RedisNonceCache(redis);
    await cache.remember('AK', 'ttl', T, T);
    const key = 'nonce:2:AK:ttl';
    const first = await redis.pttl(key);
    expect(first).toBeGreaterThan(MAX_SKEW_MS - 5_000);
    expect(first).toBeLessThanOrEqual(MAX_SKEW_MS);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await cache.remember('AK', 'ttl', T + 60_000, T)).toBe(false);
    expect(await redis.pttl(key)).toBeLessThan(first);
  });

  it("follows the request's timestamp: stamped 14 minutes ago, kept 1 minute; 14 minutes ahead, 29", async () => {
    const cache = new RedisNonceCache(redis);
    const minute = 60_000;
    await cache.remember('AK', 'past', T - 14 * minute, T);
    await cache.remember('AK', 'ahead', T + 14 * minute, T);
    const past = await redis.pttl('nonce:2:AK:past');
    const ahead = await redis.pttl('nonce:2:AK:ahead');
    expect(past).toBeGreaterThan(minute - 5_000);
    expect(past).toBeLessThanOrEqual(minute);
    expect(ahead).toBeGreaterThan(29 * minute - 5_000);
    expect(ahead).toBeLessThanOrEqual(29 * minute);
  });

  it('keeps a nonce at least 1 ms even when its request is at the edge of the skew', async () => {
    const cache = new RedisNonceCache(redis);
    expect(await cache.remember('AK', 'edge', T - MAX_SKEW_MS, T)).toBe(true);
    expect(await redis.pttl('nonce:2:AK:edge')).toBeLessThanOrEqual(1);
  });

  it('forgets a nonce once its request would fail the timestamp check', async () => {
    const cache = new RedisNonceCache(redis);
    const now = Date.now();
    const stamp = now - MAX_SKEW_MS + 100;
    expect(await cache.remember('AK', 'short', stamp, now)).toBe(true);
    expect(await cache.remember('AK', 'short', stamp, now)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await cache.remember('AK', 'short', stamp, now + 150)).toBe(true);
  });
});
