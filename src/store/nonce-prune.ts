import type { Logger } from 'pino';
import type { Durably } from './durability.js';
import type { RequestNoncesRepo } from './request-nonces-repo.js';

/** How often expired request nonces are deleted: a pass finds about this long's worth of expiries. */
export const NONCE_PRUNE_INTERVAL_MS = 10_000;

export interface NoncePruneOptions {
  readonly repo: Pick<RequestNoncesRepo, 'prune'>;
  readonly durably: Durably;
  readonly now: () => number;
  readonly log: Logger;
  readonly intervalMs?: number;
  /** Rows deleted per statement, so one prune never holds SQLite's write lock for long. */
  readonly batch?: number;
}

/**
 * Deletes the request nonces whose requests can no longer pass the timestamp check (store/
 * request-nonces-repo.ts) at start and every NONCE_PRUNE_INTERVAL_MS, in bounded batches with requests
 * in flight between them. The table holds about (state-changing requests per second) × 15 minutes of
 * rows; a claim takes over an expired row the prune has not reached, so a late pass is harmless.
 * Several instances on one PostgreSQL may prune together. The returned stop waits for a pass in flight.
 */
export function startNoncePrune(o: NoncePruneOptions): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  const batch = o.batch ?? 2000;
  const pass = () => {
    if (running !== undefined || stopped) return;
    running = (async () => {
      for (let i = 0; i < 100 && !stopped; i++) {
        const deleted = await o.durably(() => o.repo.prune(o.now(), batch));
        if (deleted < batch) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })()
      .catch((error: unknown) => o.log.warn({ err: error }, 'request nonce prune failed'))
      .finally(() => (running = undefined));
  };
  const first = setTimeout(pass, 0);
  const timer = setInterval(pass, o.intervalMs ?? NONCE_PRUNE_INTERVAL_MS);
  first.unref();
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
