import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { mapRedisError } from './redis-client.js';
import { FLOW_WINDOW_MS, type FlowLimiter } from './flow-limiter.js';

/**
 * One atomic step of the sliding-window log, shared by every instance (architecture.md, "Scale-out"). The key
 * is a sorted set of the admission times of the last window (score = time in ms, member unique). Admissions
 * at or before now - window are dropped; the call is admitted only if fewer than `limit` remain, exactly as
 * MemoryFlowLimiter decides, and a refused call changes nothing but that trimming. The set never holds more
 * than `limit` members and expires a window after its last admission, so Redis memory is bounded by the
 * admission rate times the window.
 *
 * Time: Redis TIME when ARGV[3] is empty. Every instance then measures the window on one clock; with each
 * caller's own clock, two instances whose clocks differ by d could admit twice the limit in a real window
 * of 1000 - d ms (NTP keeps d small, but not zero). Scripts may call TIME since Redis 5 (effects
 * replication). Admissions stamped after now (Redis's clock stepped back) are moved to now: they keep
 * counting for a whole window, which errs on the side of refusing, and the key is not locked out until
 * the clock catches up.
 */
const ACQUIRE = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local ahead = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
for _, member in ipairs(ahead) do redis.call('ZADD', KEYS[1], now, member) end
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 1
`;

type AcquireCommand = (
  key: string,
  limit: number,
  windowMs: number,
  now: string,
  member: string,
) => Promise<number>;

export interface RedisFlowLimiterOptions {
  readonly windowMs?: number;
  /**
   * 'redis' (the default): the window is measured on Redis's clock, see ACQUIRE. 'caller': on the
   * `nowMs` each call passes, so tests can run the same cases as the memory limiter with a fake clock.
   */
  readonly time?: 'redis' | 'caller';
}

/** The FlowLimiter of several instances: one sorted set per (account, action) in Redis. */
export class RedisFlowLimiter implements FlowLimiter {
  readonly #acquire: AcquireCommand;
  readonly #windowMs: number;
  readonly #callerTime: boolean;

  constructor(redis: Redis, options: RedisFlowLimiterOptions = {}) {
    // defineCommand sends EVALSHA and falls back to EVAL once after a Redis restart (NOSCRIPT).
    if (!('camsFlowAcquire' in redis))
      redis.defineCommand('camsFlowAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    const command = (redis as unknown as { camsFlowAcquire: AcquireCommand }).camsFlowAcquire;
    this.#acquire = command.bind(redis);
    this.#windowMs = options.windowMs ?? FLOW_WINDOW_MS;
    this.#callerTime = options.time === 'caller';
  }

  async tryAcquire(key: string, limit: number, nowMs: number): Promise<boolean> {
    const now = this.#callerTime ? String(nowMs) : '';
    const acquired = await this.#acquire(`flow:${key}`, limit, this.#windowMs, now, randomUUID()).catch(
      (error: unknown) => {
        throw mapRedisError(error);
      },
    );
    return acquired === 1;
  }
}
