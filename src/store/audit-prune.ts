import type { Logger } from 'pino';
import type { AuditTrail } from './audit-trail.js';
import type { Durably } from './durability.js';

const DAY_MS = 86_400_000;

export interface AuditPruneOptions {
  readonly trail: AuditTrail;
  readonly durably: Durably;
  readonly now: () => number;
  /** Events older than this many days go; 0 keeps them forever (no pruning at all). */
  readonly retentionDays: number;
  /** Rows deleted per statement, so one prune never holds the write lock for long. */
  readonly batch?: number;
  /** Statements per pass; what is left waits for the next pass. */
  readonly maxBatches?: number;
  /** Checked between batches: a shutdown does not wait for a long pass. */
  readonly stopping?: () => boolean;
}

/** One prune pass: deletes events older than the retention, oldest first, in bounded batches. */
export async function pruneAuditTrail(o: AuditPruneOptions): Promise<number> {
  if (o.retentionDays <= 0) return 0;
  const before = new Date(o.now() - o.retentionDays * DAY_MS).toISOString();
  const batch = o.batch ?? 1000;
  let total = 0;
  for (let i = 0; i < (o.maxBatches ?? 100); i++) {
    const deleted = await o.durably(() => o.trail.prune(before, batch));
    total += deleted;
    if (deleted < batch || o.stopping?.() === true) break;
    await new Promise((resolve) => setImmediate(resolve)); // requests in flight go between batches
  }
  return total;
}

/**
 * Prunes the audit trail at start and every `intervalMs` (CAMS_AUDIT_RETENTION_DAYS). Several
 * instances on one PostgreSQL may prune together: each deletes what is old, none deletes twice.
 * The returned stop waits for a pass in flight.
 */
export function startAuditPrune(
  o: AuditPruneOptions & { readonly intervalMs: number; readonly log: Logger },
): () => Promise<void> {
  if (o.retentionDays <= 0) return async () => undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = () => {
    if (running !== undefined || stopped) return;
    running = pruneAuditTrail({ ...o, stopping: () => stopped })
      .then((deleted) => {
        if (deleted > 0) o.log.info({ deleted, retentionDays: o.retentionDays }, 'audit trail pruned');
      })
      .catch((error: unknown) => o.log.warn({ err: error }, 'audit prune failed'))
      .finally(() => (running = undefined));
  };
  const first = setTimeout(pass, 0);
  const timer = setInterval(pass, o.intervalMs);
  first.unref();
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
