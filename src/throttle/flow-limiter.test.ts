import { describe, expect, it } from 'vitest';
import { FLOW_WINDOW_MS, MemoryFlowLimiter } from './flow-limiter.js';

const T = 1_700_000_000_000;

function acquireMany(
  limiter: MemoryFlowLimiter,
  key: string,
  limit: number,
  nowMs: number,
  n: number,
): number {
  let admitted = 0;
  for (let i = 0; i < n; i++) if (limiter.tryAcquireSync(key, limit, nowMs)) admitted++;
  return admitted;
}

describe('MemoryFlowLimiter', () => {
  it('uses a one-second window by default', () => {
    expect(FLOW_WINDOW_MS).toBe(1000);
  });

  it('admits 10 at t and refuses the 11th until exactly t + 1000', () => {
    const limiter = new MemoryFlowLimiter();
    expect(acquireMany(limiter, 'k', 10, T, 10)).toBe(10);
    expect(limiter.tryAcquireSync('k', 10, T)).toBe(false);
    expect(limiter.tryAcquireSync('k', 10, T + 1)).toBe(false);
    expect(limiter.tryAcquireSync('k', 10, T + 999)).toBe(false);
    expect(limiter.tryAcquireSync('k', 10, T + 1000)).toBe(true);
  });

  it('frees the slots one by one as their admissions leave the window', () => {
    const limiter = new MemoryFlowLimiter();
    for (let i = 0; i < 10; i++) expect(limiter.tryAcquireSync('k', 10, T + i * 100)).toBe(true);
    expect(limiter.tryAcquireSync('k', 10, T + 999)).toBe(false);
    // t+1000: only the admission of t has left the window.
    expect(acquireMany(limiter, 'k', 10, T + 1000, 5)).toBe(1);
    expect(limiter.tryAcquireSync('k', 10, T + 1099)).toBe(false);
    expect(acquireMany(limiter, 'k', 10, T + 1100, 5)).toBe(1);
    // t+1950: the admissions of t+200 .. t+900 have left the window (8 of them).
    expect(acquireMany(limiter, 'k', 10, T + 1950, 20)).toBe(8);
  });

  it('never admits more than the limit in any sliding window, whatever the arrival pattern', () => {
    const limiter = new MemoryFlowLimiter();
    const admitted: number[] = [];
    for (let now = T; now < T + 5000; now += 37) {
      for (let i = 0; i < 3; i++) if (limiter.tryAcquireSync('k', 10, now)) admitted.push(now);
    }
    for (const t of admitted)
      expect(admitted.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(10);
    expect(admitted.length).toBeGreaterThanOrEqual(50);
  });

  it('does not count refused calls', () => {
    const limiter = new MemoryFlowLimiter();
    expect(acquireMany(limiter, 'k', 10, T, 10)).toBe(10);
    // 100 refused calls at t+500 must not push the free slot beyond t+1000.
    expect(acquireMany(limiter, 'k', 10, T + 500, 100)).toBe(0);
    expect(acquireMany(limiter, 'k', 10, T + 1000, 20)).toBe(10);
  });

  it('keeps keys independent', () => {
    const limiter = new MemoryFlowLimiter();
    expect(acquireMany(limiter, 'account-1:Add', 10, T, 11)).toBe(10);
    expect(acquireMany(limiter, 'account-2:Add', 10, T, 11)).toBe(10);
    expect(acquireMany(limiter, 'account-1:Query', 10, T, 11)).toBe(10);
  });

  it('a window of another length works the same way', () => {
    const limiter = new MemoryFlowLimiter(200);
    expect(acquireMany(limiter, 'k', 2, T, 3)).toBe(2);
    expect(limiter.tryAcquireSync('k', 2, T + 199)).toBe(false);
    expect(limiter.tryAcquireSync('k', 2, T + 200)).toBe(true);
  });

  it('a raised limit applies at once and still counts the admissions already in the window', () => {
    const limiter = new MemoryFlowLimiter();
    expect(acquireMany(limiter, 'k', 5, T, 6)).toBe(5);
    // Limit 10 now: five more fit in the window of t, not ten.
    expect(acquireMany(limiter, 'k', 10, T + 1, 20)).toBe(5);
  });

  it('a lowered limit applies at once and still counts the admissions already in the window', () => {
    const limiter = new MemoryFlowLimiter();
    expect(acquireMany(limiter, 'k', 10, T, 10)).toBe(10);
    // Limit 5 now: ten admissions are in the window, so nothing more until they leave it.
    expect(limiter.tryAcquireSync('k', 5, T + 500)).toBe(false);
    expect(acquireMany(limiter, 'k', 5, T + 1000, 10)).toBe(5);
  });

  it('sweeps idle keys', () => {
    const limiter = new MemoryFlowLimiter();
    limiter.tryAcquireSync('idle', 10, T);
    expect(limiter.size).toBe(1);
    limiter.tryAcquireSync('recent', 10, T + 9_500);
    expect(limiter.size).toBe(2);
    // Ten windows after the last sweep: 'idle' (silent for >= 1 s) goes, 'recent' (within 1 s) stays.
    limiter.tryAcquireSync('new', 10, T + 10_000);
    expect(limiter.size).toBe(2);
    // A swept key starts with its full quota.
    expect(acquireMany(limiter, 'idle', 10, T + 10_000, 11)).toBe(10);
  });

  it('does not sweep a key that is still within its window', () => {
    const limiter = new MemoryFlowLimiter();
    limiter.tryAcquireSync('first', 10, T);
    expect(acquireMany(limiter, 'busy', 10, T + 9_999, 10)).toBe(10);
    limiter.tryAcquireSync('other', 10, T + 10_000);
    // 'busy' was admitted 1 ms ago: sweeping it would hand it a fresh quota inside its window.
    expect(limiter.tryAcquireSync('busy', 10, T + 10_000)).toBe(false);
  });

  it('the async interface answers as the sync one', async () => {
    const limiter = new MemoryFlowLimiter();
    for (let i = 0; i < 10; i++) expect(await limiter.tryAcquire('k', 10, T)).toBe(true);
    expect(await limiter.tryAcquire('k', 10, T)).toBe(false);
  });
});
