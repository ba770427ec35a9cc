import { describe, expect, it } from 'vitest';
import { FairScheduler } from './fair-scheduler.js';

/** A scheduler whose jobs record their start and wait to be finished by the test. */
function harness(limits: { maxInFlight: number; maxInFlightPerSource: number; maxQueuedPerSource: number }) {
  const scheduler = new FairScheduler(limits, { defer: (run) => run() });
  const started: string[] = [];
  const running = new Map<string, () => void>();
  const submit = (source: string, name: string) =>
    scheduler.submit(source, (done) => {
      started.push(name);
      running.set(name, done);
    });
  const finish = (name: string) => {
    const done = running.get(name);
    if (done === undefined) throw new Error(`${name} is not running`);
    running.delete(name);
    done();
  };
  return { scheduler, started, submit, finish };
}

describe('FairScheduler', () => {
  it('runs at once what is under both caps', () => {
    const h = harness({ maxInFlight: 10, maxInFlightPerSource: 2, maxQueuedPerSource: 5 });
    expect(h.submit('a', 'a1')).toBe(true);
    expect(h.submit('b', 'b1')).toBe(true);
    expect(h.started).toEqual(['a1', 'b1']);
    expect(h.scheduler.running).toBe(2);
  });

  it("queues a source's jobs past its own cap, without delaying another source", () => {
    const h = harness({ maxInFlight: 100, maxInFlightPerSource: 2, maxQueuedPerSource: 100 });
    for (let i = 1; i <= 50; i++) h.submit('flood', `f${i}`);
    expect(h.started).toEqual(['f1', 'f2']);
    expect(h.scheduler.waiting).toBe(48);
    h.submit('victim', 'v1');
    expect(h.started).toEqual(['f1', 'f2', 'v1']);
    h.finish('f1');
    expect(h.started.at(-1)).toBe('f3'); // the flood's next, in its own order
  });

  it('refuses a job past the source queue, and only for that source', () => {
    const h = harness({ maxInFlight: 100, maxInFlightPerSource: 1, maxQueuedPerSource: 2 });
    expect([1, 2, 3, 4].map((i) => h.submit('flood', `f${i}`))).toEqual([true, true, true, false]);
    expect(h.submit('other', 'o1')).toBe(true);
    expect(h.started).toEqual(['f1', 'o1']);
    h.finish('f1');
    expect(h.submit('flood', 'f5')).toBe(true); // room again in its queue
    expect(h.started).toEqual(['f1', 'o1', 'f2']);
  });

  it('at the overall cap, gives the freed slots to the waiting sources in turn', () => {
    const h = harness({ maxInFlight: 2, maxInFlightPerSource: 2, maxQueuedPerSource: 10 });
    h.submit('a', 'a1');
    h.submit('a', 'a2');
    for (const name of ['a3', 'a4', 'a5']) h.submit('a', name);
    h.submit('b', 'b1');
    h.submit('c', 'c1');
    h.submit('b', 'b2');
    expect(h.started).toEqual(['a1', 'a2']);
    h.finish('a1');
    h.finish('a2');
    h.finish('b1');
    h.finish('c1');
    // b and c waited while a held both slots: they go first, then a and b take turns.
    expect(h.started).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'b2']);
    h.finish('a3');
    h.finish('b2');
    expect(h.started.slice(6)).toEqual(['a4', 'a5']);
  });

  it('forgets a source with nothing running or waiting', () => {
    const h = harness({ maxInFlight: 0, maxInFlightPerSource: 1, maxQueuedPerSource: 1 });
    h.submit('a', 'a1');
    h.submit('a', 'a2');
    h.finish('a1');
    h.finish('a2');
    expect(h.scheduler.running).toBe(0);
    expect(h.scheduler.waiting).toBe(0);
    // A fresh start for the source: its cap and queue are whole again.
    expect([h.submit('a', 'a3'), h.submit('a', 'a4'), h.submit('a', 'a5')]).toEqual([true, true, false]);
  });

  it('counts a job that throws as it starts as finished', () => {
    const scheduler = new FairScheduler(
      { maxInFlight: 1, maxInFlightPerSource: 1, maxQueuedPerSource: 1 },
      { defer: (run) => run() },
    );
    const ran: string[] = [];
    scheduler.submit('a', () => {
      throw new Error('boom');
    });
    scheduler.submit('a', (done) => {
      ran.push('next');
      done();
      done(); // a second call changes nothing
    });
    expect(ran).toEqual(['next']);
    expect(scheduler.running).toBe(0);
  });

  it('starts the jobs waiting behind a finished one on a later turn, so other I/O runs in between', async () => {
    const scheduler = new FairScheduler({ maxInFlight: 0, maxInFlightPerSource: 1, maxQueuedPerSource: 10 });
    const order: string[] = [];
    // Jobs that finish without I/O, in a microtask, as a request refused by flow control does.
    for (let i = 1; i <= 3; i++)
      scheduler.submit('a', (done) => {
        order.push(`a${i}`);
        queueMicrotask(done);
      });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(order).toEqual(['a1']); // not the whole queue in one turn
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    await nextTurn();
    expect(order).toEqual(['a1', 'a2']);
    await nextTurn();
    expect(order).toEqual(['a1', 'a2', 'a3']);
  });

  it('with caps of 0, runs everything at once', () => {
    const h = harness({ maxInFlight: 0, maxInFlightPerSource: 0, maxQueuedPerSource: 0 });
    for (let i = 0; i < 1000; i++) expect(h.submit('a', `a${i}`)).toBe(true);
    expect(h.scheduler.running).toBe(1000);
  });
});
