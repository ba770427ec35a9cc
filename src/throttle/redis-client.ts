import { redactUrl } from '../config.js';
import { causedBy, unavailable } from '../errors/index.js';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisOptions {
  readonly url: string;
  /** Prefix of every key (CAMS_REDIS_KEY_PREFIX), so deployments or test runs can share one Redis. */
  readonly keyPrefix: string;
  readonly log?: Logger;
}

/**
 * Bounds on every wait: while Redis is unreachable a command fails at once instead of
 * queueing (no offline queue, one retry), and a stalled server fails it after `commandTimeout` (a healthy
 * one answers in well under a millisecond), so the request answers ServiceUnavailable before the official
 * SDK gives up on its own (3 s by default). Reconnection never stops, at most a second apart, so the
 * service recovers by itself when Redis returns.
 */
export const REDIS_TIMEOUTS = {
  connectTimeout: 2_000,
  commandTimeout: 1_000,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
} as const;

/** The URL without its password, for logs. */
export const redactRedisUrl = (url: string): string => redactUrl(url, 'redis');

/**
 * A connected client, or one still trying: start-up waits for the first connection attempt (so the
 * first requests do not fail for nothing) but does not fail when Redis is down; requests answer
 * ServiceUnavailable until it is back. An outage is logged once when it starts and once when it ends.
 */
export async function openRedis(options: RedisOptions): Promise<Redis> {
  const { log } = options;
  const where = redactRedisUrl(options.url);
  const redis = new Redis(options.url, { ...REDIS_TIMEOUTS, keyPrefix: options.keyPrefix });
  let down = false;
  const lost = (error?: Error) => {
    if (!down)
      log?.warn({ err: error, redis: where }, 'Redis unreachable; requests answer ServiceUnavailable');
    down = true;
  };
  redis.on('error', lost);
  // A dropped connection may come back before any attempt fails; disconnect() emits no 'reconnecting'.
  redis.on('reconnecting', () => lost());
  redis.on('ready', () => {
    if (down) log?.info({ redis: where }, 'Redis reachable again');
    down = false;
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, REDIS_TIMEOUTS.connectTimeout);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    }
    redis.once('ready', done);
    redis.once('error', done);
  });
  return redis;
}

// What ioredis throws while Redis is unreachable: its refusal while disconnected (no offline queue),
// command timeout, closed connection and retry limit. Network system errors are matched by `causedBy`.
const REDIS_MESSAGES =
  /Stream isn't writeable|Command timed out|Connection is closed|max retries per request/i;

/** A Redis error that means "Redis cannot be reached now", as the catalogued ServiceUnavailable. */
export function mapRedisError(error: unknown): unknown {
  return causedBy(error, undefined, REDIS_MESSAGES) ? unavailable(error) : error;
}
