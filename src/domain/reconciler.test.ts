import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CustSpace } from '../store/records.js';
import { DUTY_CYCLE, startReconciler } from './reconciler.js';

const spaces = Array.from({ length: 20 }, (_, i) => ({ id: `s${i}` }) as CustSpace);
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('the reconciler', () => {
  it('takes at most its duty cycle of the time while a pass runs, and visits every space', async () => {
    const visited: string[] = [];
    let first = 0;
    let last = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const stop = startReconciler({
      intervalMs: 5,
      listSpaces: async () => spaces,
      syncSpace: async (space) => {
        if (visited.length === 0) first = performance.now();
        busy(2);
        visited.push(space.id);
        last = performance.now();
        if (visited.length === spaces.length) done();
      },
      log: pino({ level: 'silent' }),
    });
    await finished;
    await stop();
    expect(visited).toEqual(spaces.map((s) => s.id));
    const busyMs = spaces.length * 2;
    // From the first space's start to the last one's end: the work, plus rests of (1/duty - 1) times it
    // between the spaces (all but the last rest).
    expect(last - first).toBeGreaterThanOrEqual(busyMs + (busyMs - 2) * (1 / DUTY_CYCLE - 1) * 0.9);
  });
});
