import type { Logger } from 'pino';
import type { CustSpace } from '../store/spaces-repo.js';

/**
 * Re-reads every space's numbers from upstream at an interval, so changes that happen there on their
 * own (a display-name decision, a lapsed verification) reach the store and the customer's webhook.
 * One pass at a time; a failing space is logged and retried on the next pass.
 */
export function startReconciler(opts: {
  intervalMs: number;
  listSpaces: () => Promise<CustSpace[]>;
  syncSpace: (space: CustSpace) => Promise<unknown>;
  log: Logger;
}): () => Promise<void> {
  if (opts.intervalMs <= 0) return async () => undefined;
  let running: Promise<void> | undefined;
  const pass = async () => {
    for (const space of await opts.listSpaces()) {
      await opts.syncSpace(space).catch((error: unknown) => {
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
