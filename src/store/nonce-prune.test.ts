import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { startNoncePrune } from './nonce-prune.js';

const durably = <T>(work: (unit: { atEnd(): void }) => Promise<T>) => work({ atEnd: () => undefined });

describe('startNoncePrune', () => {
  it('prunes at start in batches until a batch comes back short, each in a unit of work, at the clock', async () => {
    const calls: Array<{ now: number; batch: number }> = [];
    let left = 5;
    const stop = startNoncePrune({
      repo: {
        prune: async (now, batch) => {
          calls.push({ now, batch });
          const deleted = Math.min(left, batch);
          left -= deleted;
          return deleted;
        },
      },
      durably,
      now: () => 42,
      log: createLogger('silent'),
      batch: 2,
      intervalMs: 60_000,
    });
    for (let waited = 0; left > 0 && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await stop();
    // 2 + 2 + 1: the short third batch ends the pass.
    expect(calls).toEqual([
      { now: 42, batch: 2 },
      { now: 42, batch: 2 },
      { now: 42, batch: 2 },
    ]);
    expect(left).toBe(0);
  });

  it('logs a failed pass and keeps going', async () => {
    let calls = 0;
    const stop = startNoncePrune({
      repo: {
        prune: async () => {
          calls++;
          throw new Error('disk I/O error');
        },
      },
      durably,
      now: () => 0,
      log: createLogger('silent'),
      intervalMs: 20,
    });
    for (let waited = 0; calls < 2 && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await stop();
    expect(calls).toBeGreaterThan(1);
  });
});
