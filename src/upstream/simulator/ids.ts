import { createHash } from 'node:crypto';

/**
 * Deterministic numeric IDs in Meta's shape (15-16 digits) for a given seed: the n-th ID of a kind is
 * always the same, so a test run with a fixed seed sees the same IDs every time.
 */
export function simulatedId(seed: string, kind: string, n: number): string {
  const digest = createHash('sha256').update(`${seed}\u0000${kind}\u0000${n}`).digest();
  const value = digest.readBigUInt64BE(0) % 9_000_000_000_000_000n;
  return (1_000_000_000_000_000n + value).toString();
}
