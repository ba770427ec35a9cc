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

/** A message template namespace in Meta's shape (a UUID written with underscores), derived from a key. */
export function templateNamespace(seed: string, key: string): string {
  const hex = createHash('sha256').update(`${seed}\u0000namespace\u0000${key}`).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    '_',
  );
}
