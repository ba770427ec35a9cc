import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(16 * 256);
let used = POOL.length;

/**
 * A UUID version 7 (RFC 9562 §5.7): the Unix time in milliseconds, then 74 random bits. IDs of rows
 * created later sort after earlier ones, so an insert lands on the last page of the primary-key index
 * instead of a random one: fewer pages written per commit than with random (version 4) UUIDs.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (used === POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const b = POOL.subarray(used, used + 16);
  used += 16;
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
