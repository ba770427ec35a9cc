import { createHash } from 'node:crypto';

/**
 * Deterministic numeric IDs in Meta's shape (16 digits) for a given seed: the n-th ID of a kind (or the ID
 * derived from a key) is always the same, so a test run with a fixed seed sees the same IDs every time.
 */
export function simulatedId(seed: string, kind: string, n: number | string): string {
  const digest = createHash('sha256').update(`${seed}\u0000${kind}\u0000${n}`).digest();
  const value = digest.readBigUInt64BE(0) % 9_000_000_000_000_000n;
  return (1_000_000_000_000_000n + value).toString();
}

/**
 * The n-th ID of a kind created in bulk (phone numbers), in Meta's shape too: a base derived from the seed
 * plus n, so consecutive IDs are consecutive numbers. Unlike `simulatedId`'s scattered values, new IDs
 * land at the end of the primary-key index instead of on a random page of it: every simulated Add writes
 * fewer pages (docs/PERFORMANCE.md).
 */
export function sequentialId(seed: string, kind: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= SEQUENCE_ROOM) {
    throw new RangeError(`sequentialId: n must be a whole number below ${SEQUENCE_ROOM}, got ${n}`);
  }
  const key = `${seed}\u0000${kind}`;
  let base = SEQUENCE_BASES.get(key);
  if (base === undefined) {
    const digest = createHash('sha256').update(`${key}\u0000base`).digest();
    base =
      1_000_000_000_000_000n + (digest.readBigUInt64BE(0) % (9_000_000_000_000_000n - BigInt(SEQUENCE_ROOM)));
    SEQUENCE_BASES.set(key, base);
  }
  return (base + BigInt(n)).toString();
}

/** IDs of one kind a seed can give sequentially while keeping 16 digits. */
const SEQUENCE_ROOM = 1_000_000_000_000;
const SEQUENCE_BASES = new Map<string, bigint>();

/** A message template namespace in Meta's shape (a UUID written with underscores), derived from a key. */
export function templateNamespace(seed: string, key: string): string {
  const hex = createHash('sha256').update(`${seed}\u0000namespace\u0000${key}`).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    '_',
  );
}
