import { describe, expect, it } from 'vitest';
import { WalSync } from './wal-sync.js';

/** An fsync whose completions the test hands out one by one. */
function manualFsync() {
  const pending: Array<(error: NodeJS.ErrnoException | null) => void> = [];
  return {
    fsync: (_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => pending.push(callback),
    started: () => pending.length,
    complete: async (error: NodeJS.ErrnoException | null = null) => {
      pending.shift()!(error);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function track(promise: Promise<void>) {
  const state = { settled: 'pending' as 'pending' | 'resolved' | 'rejected', error: undefined as unknown };
  promise.then(
    () => (state.settled = 'resolved'),
    (error: unknown) => {
      state.settled = 'rejected';
      state.error = error;
    },
  );
  return state;
}

describe('WalSync', () => {
  it('resolves a caller only after an fsync that started after its call', async () => {
    const io = manualFsync();
    const sync = new WalSync(7, io.fsync);
    const first = track(sync.sync());
    expect(io.started()).toBe(1);
    const second = track(sync.sync()); // arrives while the first fsync runs
    const third = track(sync.sync());
    expect(io.started()).toBe(1); // one in flight, the others wait for the next one
    await io.complete();
    expect(first.settled).toBe('resolved');
    expect(second.settled).toBe('pending');
    expect(io.started()).toBe(1); // the next fsync started on its own
    await io.complete();
    expect([second.settled, third.settled]).toEqual(['resolved', 'resolved']);
    expect(io.started()).toBe(0);
  });

  it('idle waits for the fsyncs asked for, and is immediate when there are none', async () => {
    const io = manualFsync();
    const sync = new WalSync(7, io.fsync);
    await expect(sync.idle()).resolves.toBeUndefined();
    void sync.sync();
    void sync.sync();
    const idle = track(sync.idle());
    await io.complete();
    expect(idle.settled).toBe('pending');
    await io.complete();
    expect(idle.settled).toBe('resolved');
  });

  it('is fail-stop: after a failed fsync every caller is refused, also those already waiting', async () => {
    const io = manualFsync();
    const sync = new WalSync(7, io.fsync);
    const failing = track(sync.sync());
    const waiting = track(sync.sync());
    const eio = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    await io.complete(eio);
    expect([failing.settled, waiting.settled]).toEqual(['rejected', 'rejected']);
    expect(waiting.error).toBe(eio);
    await expect(sync.sync()).rejects.toBe(eio);
    await expect(sync.idle()).rejects.toBe(eio);
    expect(io.started()).toBe(0); // no later fsync pretends the lost pages are safe
  });
});
