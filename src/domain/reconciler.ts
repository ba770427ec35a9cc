import type { Logger } from 'pino';
import type { CustSpace } from '../store/spaces-repo.js';

/** Every this many passes, all spaces are re-read, not only those with numbers in transition. */
export const FULL_PASS_EVERY = 10;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Re-reads spaces' numbers from upstream at an interval, so changes that happen there on their own (a
 * display-name decision, a lapsed verification) reach the store and the customer's webhook. A pass
 * visits the spaces with numbers in transition (`listSpaces(false)`), and every FULL_PASS_EVERY-th pass
 * all spaces. It yields to the event loop between spaces, so requests are never stalled behind it.
 * One pass at a time; a failing space is logged and retried on the next pass.
 */
export function startReconciler(opts: {
  intervalMs: number;
  listSpaces: (all: boolean) => Promise<CustSpace[]>;
  /** Re-reads one space; `all` on the full passes. */
  syncSpace: (space: CustSpace, all: boolean) => Promise<unknown>;
  log: Logger;
}): () => Promise<void> {
  if (opts.intervalMs <= 0) return async () => undefined;
  let running: Promise<void> | undefined;
  let passes = 0;
  const pass = async () => {
    const all = passes++ % FULL_PASS_EVERY === FULL_PASS_EVERY - 1;
    for (const space of await opts.listSpaces(all)) {
      await turn();
      await opts.syncSpace(space, all).catch((error: unknown) => {
        opts.log.warn({ err: error, custSpaceId: space.id }, 'reconcile failed');
      });
    }
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
