import type { Logger } from 'pino';
import type { CustSpace } from '../store/records.js';

/** Every this many passes, all spaces are re-read, not only those with numbers in transition. */
export const FULL_PASS_EVERY = 10;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The share of the event loop's time a pass may take while it runs: after each space it rests three
 * times as long as the space took, so requests keep at least three quarters of the process even when a
 * pass has thousands of spaces to catch up on (after a burst of Adds, every new number's review).
 */
export const DUTY_CYCLE = 0.25;
/** Rests shorter than this are saved up (timers are not finer). */
const MIN_REST_MS = 4;

/**
 * Re-reads spaces' numbers from upstream at an interval, so changes that happen there on their own (a
 * display-name decision, a lapsed verification) reach the store and the customer's webhook. A pass
 * visits the spaces with numbers in transition (`listSpaces(false)`), and every FULL_PASS_EVERY-th pass
 * all spaces. It yields to the event loop between spaces, so requests are never stalled behind it, and
 * takes at most DUTY_CYCLE of the time while it runs.
 * One pass at a time; a failing space is logged and retried on the next pass.
 */
export function startReconciler(opts: {
  intervalMs: number;
  listSpaces: (all: boolean) => Promise<CustSpace[]>;
  /** Re-reads one space; `all` on the full passes. */
  syncSpace: (space: CustSpace, all: boolean) => Promise<unknown>;
  log: Logger;
  /** Told when a pass ends, with its duration (the reconciler metrics). */
  onPass?: (seconds: number) => void;
}): () => Promise<void> {
  if (opts.intervalMs <= 0) return async () => undefined;
  let running: Promise<void> | undefined;
  let passes = 0;
  const pass = async () => {
    const started = performance.now();
    const all = passes++ % FULL_PASS_EVERY === FULL_PASS_EVERY - 1;
    let rest = 0;
    for (const space of await opts.listSpaces(all)) {
      await turn();
      const started = performance.now();
      await opts.syncSpace(space, all).catch((error: unknown) => {
        opts.log.warn({ err: error, custSpaceId: space.id }, 'reconcile failed');
      });
      rest += (performance.now() - started) * (1 / DUTY_CYCLE - 1);
      if (rest >= MIN_REST_MS) {
        await sleep(rest);
        rest = 0;
      }
    }
    opts.onPass?.((performance.now() - started) / 1000);
  };
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = pass()
      .catch((error: unknown) => opts.log.warn({ err: error }, 'reconcile pass failed'))
      .finally(() => (running = undefined));
  }, opts.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
