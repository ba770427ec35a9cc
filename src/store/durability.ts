import { fail } from '../errors/index.js';
import { flushWrites } from './sqlite/group-commit.js';

/**
 * The unit of work: runs `work` and settles, with its result or its error, only once every write it
 * issued is durable. On the serving SQLite handle the writes of concurrent units share one commit and
 * one fsync (sqlite/group-commit.ts); on PostgreSQL and plain SQLite each statement is durable when it
 * returns and this adds nothing. Writers never wait for durability themselves: whoever acknowledges
 * (a route of the HTTP port, the bootstrap that prints credentials, the webhook dispatcher) runs its
 * work through this one call (architecture.md, "Storage and durability").
 *
 * A commit or fsync that fails is answered as the catalogued, retryable ServiceUnavailable, with the
 * store's error as its `cause`: the work may have been rolled back with the shared transaction.
 * `onWait` learns how long each unit waited for durability (the commit-wait metric).
 */
export type Durably = <T>(work: (unit: UnitOfWork) => Promise<T>) => Promise<T>;

/** What the work of a unit may ask of it. */
export interface UnitOfWork {
  /**
   * Defers `write` to the end of the unit: it is issued when the work has ended, before the unit waits
   * for durability, so on the serving SQLite handle it shares the commit of the work's last writes
   * instead of opening the shared transaction early (a transaction opened early may be committed before
   * the work's other writes, and the answer then waits for two fsyncs). Its failure fails the unit.
   */
  atEnd(write: () => Promise<unknown>): void;
}

export function durably(db: object, onWait?: (seconds: number) => void): Durably {
  return async <T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> => {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    const deferred: Array<() => Promise<unknown>> = [];
    const unit: UnitOfWork = { atEnd: (write) => void deferred.push(write) };
    try {
      outcome = { ok: true, value: await work(unit) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    // Issued in the turn the work ended in, so they share its last writes' commit.
    for (let i = 0; i < deferred.length; i++) {
      try {
        await deferred[i]!();
      } catch (error) {
        if (outcome.ok) outcome = { ok: false, error };
      }
    }
    const started = onWait === undefined ? 0 : performance.now();
    try {
      await flushWrites(db);
      onWait?.((performance.now() - started) / 1000);
    } catch (error) {
      const unavailable = fail('ServiceUnavailable');
      unavailable.cause = error;
      throw unavailable;
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };
}
