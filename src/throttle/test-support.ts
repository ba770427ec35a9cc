import type { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../store/test-support.js';
import { openRedis } from './redis-client.js';

/** Two clients (two "instances") on one key prefix of the test Redis. */
export async function openTestRedis(prefix: string): Promise<{ redis: Redis; other: Redis }> {
  const redis = await openRedis({ url: TEST_REDIS_URL, keyPrefix: prefix });
  const other = await openRedis({ url: TEST_REDIS_URL, keyPrefix: prefix });
  return { redis, other };
}

/** Deletes the prefix's keys and disconnects both clients. */
export async function closeTestRedis(prefix: string, redis: Redis, other: Redis): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  // KEYS answers full names; DEL would add the client's key prefix again.
  if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
  redis.disconnect();
  other.disconnect();
}
