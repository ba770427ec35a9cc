/**
 * The FlowLimiter contract (architecture.md, "Conventions" 4) against the memory and the Redis limiter, with
 * the caller's clock so both see the same times; then what only the Redis limiter promises: one window for
 * several clients on Redis's own clock, atomic under concurrency, bounded memory.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisReachable, SKIP_REDIS } from '../store/test-support.js';
import { MemoryFlowLimiter, type FlowLimiter } from './flow-limiter.js';
import { openRedis } from './redis-client.js';
import { RedisFlowLimiter } from './redis-flow-limiter.js';
import { closeTestRedis, openTestRedis } from './test-support.js';
import { busiestWindow } from '../../test/support/windows.js';

const T = 1_700_000_000_000;

async function acquireMany(limiter: FlowLimiter, key: string, limit: number, nowMs: number, n: number) {
  let admitted = 0;
  for (let i = 0; i < n; i++) if (await limiter.tryAcquire(key, limit, nowMs)) admitted++;
  return admitted;
}

function flowLimiterContract(make: (windowMs?: number) => FlowLimiter): void {
  it('admits 10 at t and refuses the 11th until exactly t + 1000', async () => {
    const limiter = make();
    expect(await acquireMany(limiter, 'k', 10, T, 10)).toBe(10);
    for (const at of [T, T + 1, T + 999]) expect(await limiter.tryAcquire('k', 10, at)).toBe(false);
    expect(await limiter.tryAcquire('k', 10, T + 1000)).toBe(true);
  });

  it('frees the slots one by one as their admissions leave the window', async () => {
    const limiter = make();
    for (let i = 0; i < 10; i++) expect(await limiter.tryAcquire('k', 10, T + i * 100)).toBe(true);
    expect(await limiter.tryAcquire('k', 10, T + 999)).toBe(false);
    expect(await acquireMany(limiter, 'k', 10, T + 1000, 5)).toBe(1);
    expect(await acquireMany(limiter, 'k', 10, T + 1100, 5)).toBe(1);
    expect(await acquireMany(limiter, 'k', 10, T + 1950, 20)).toBe(8);
  });

  it('never admits more than the limit in any sliding window, whatever the arrival pattern', async () => {
    const limiter = make();
    const admitted: number[] = [];
    for (let now = T; now < T + 3000; now += 37) {
      for (let i = 0; i < 3; i++) if (await limiter.tryAcquire('k', 10, now)) admitted.push(now);
    }
    expect(busiestWindow(admitted)).toBe(10);
    expect(admitted.length).toBeGreaterThanOrEqual(30);
  });

  it('does not count refused calls, keeps keys independent', async () => {
    const limiter = make();
    expect(await acquireMany(limiter, 'a:Add', 10, T, 10)).toBe(10);
    expect(await acquireMany(limiter, 'a:Add', 10, T + 500, 50)).toBe(0);
    expect(await acquireMany(limiter, 'b:Add', 10, T + 500, 11)).toBe(10);
    expect(await acquireMany(limiter, 'a:Query', 10, T + 500, 11)).toBe(10);
    expect(await acquireMany(limiter, 'a:Add', 10, T + 1000, 20)).toBe(10);
  });

  it('a changed limit applies at once and counts the admissions already in the window', async () => {
    const limiter = make();
    expect(await acquireMany(limiter, 'up', 5, T, 6)).toBe(5);
    expect(await acquireMany(limiter, 'up', 10, T + 1, 20)).toBe(5);
    expect(await acquireMany(limiter, 'down', 10, T, 10)).toBe(10);
    expect(await limiter.tryAcquire('down', 5, T + 500)).toBe(false);
    expect(await acquireMany(limiter, 'down', 5, T + 1000, 10)).toBe(5);
  });

  it('a clock stepped back keeps the admissions counted for a window, then frees the key', async () => {
    const limiter = make();
    expect(await acquireMany(limiter, 'k', 10, T + 5000, 10)).toBe(10);
    // Seen from the stepped-back clock the admissions are as recent as can be: counted a whole window more.
    expect(await limiter.tryAcquire('k', 10, T)).toBe(false);
    expect(await limiter.tryAcquire('k', 10, T + 999)).toBe(false);
    expect(await limiter.tryAcquire('k', 10, T + 1000)).toBe(true);
  });

  it('a window of another length works the same way', async () => {
    const limiter = make(200);
    expect(await acquireMany(limiter, 'k', 2, T, 3)).toBe(2);
    expect(await limiter.tryAcquire('k', 2, T + 199)).toBe(false);
    expect(await limiter.tryAcquire('k', 2, T + 200)).toBe(true);
  });
}

describe('FlowLimiter contract: memory', () => flowLimiterContract((w) => new MemoryFlowLimiter(w)));

const available = await redisReachable();
describe.skipIf(!available)(`Redis flow limiter${available ? '' : ` (${SKIP_REDIS})`}`, () => {
  const prefix = `cams-test-${randomBytes(6).toString('hex')}:`;
  let redis: Redis;
  let other: Redis;
  let run = 0;
  // Each case gets its own key space, as the memory cases get a fresh limiter.
  const scoped = () => ({ prefix: `${prefix}${run++}:` });

  beforeAll(async () => {
    ({ redis, other } = await openTestRedis(prefix));
  });
  afterAll(() => closeTestRedis(prefix, redis, other));

  describe('FlowLimiter contract: Redis, caller time', () => {
    flowLimiterContract((windowMs) => {
      const { prefix: p } = scoped();
      const limiter = new RedisFlowLimiter(redis, { time: 'caller', ...(windowMs ? { windowMs } : {}) });
      return { tryAcquire: (key, limit, now) => limiter.tryAcquire(`${p}${key}`, limit, now) };
    });
  });

  it('on Redis time, two clients (two instances) share one window: 10 of 40 concurrent calls', async () => {
    const a = new RedisFlowLimiter(redis);
    const b = new RedisFlowLimiter(other);
    // The nowMs passed is ignored: a wrong caller clock changes nothing.
    const calls = Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? a : b).tryAcquire('shared', 10, i % 3 ? 0 : Date.now() + 60_000),
    );
    expect((await Promise.all(calls)).filter(Boolean)).toHaveLength(10);
    expect(await a.tryAcquire('shared', 10, 0)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect(await acquireMany(b, 'shared', 10, 0, 12)).toBe(10);
  });

  it('keeps at most `limit` admissions per key, expiring a window after the last one', async () => {
    const limiter = new RedisFlowLimiter(redis);
    await acquireMany(limiter, 'bounded', 10, 0, 50);
    expect(await redis.zcard('flow:bounded')).toBe(10);
    const ttl = await redis.pttl('flow:bounded');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
  });

  it('survives a script cache flush (a Redis restart) by loading the script again', async () => {
    const limiter = new RedisFlowLimiter(redis);
    expect(await limiter.tryAcquire('flush', 10, 0)).toBe(true);
    await redis.script('FLUSH');
    expect(await limiter.tryAcquire('flush', 10, 0)).toBe(true);
  });

  it('a Redis that cannot be reached fails the call at once instead of queueing it', async () => {
    const down = await openRedis({ url: 'redis://127.0.0.1:1', keyPrefix: prefix });
    const started = Date.now();
    // The adapter answers the catalogued ServiceUnavailable, with ioredis's refusal as its cause.
    const error = await new RedisFlowLimiter(down).tryAcquire('k', 10, 0).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ServiceUnavailable',
      cause: { message: expect.stringMatching(/writeable|closed/i) },
    });
    expect(Date.now() - started).toBeLessThan(500);
    down.disconnect();
  });
});
