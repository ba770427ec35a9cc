import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest, type Migrations } from '../migrate.js';

/** How long a process waits for another one's migrations (or write) before giving up. */
const MIGRATION_WAIT_MS = 60_000;

/**
 * Applies the pending migrations of the SQLite file, safe against other processes doing the same (several
 * `cams` commands started together on a new data directory): the whole run, Kysely's bookkeeping tables
 * included, is one transaction begun with BEGIN IMMEDIATE, on a connection of its own. It holds SQLite's
 * write lock from the first read on, so the others wait (busy_timeout) and, once it commits, find every
 * migration recorded and nothing to do. The lock is the database's own: a process that dies
 * mid-migration releases it with its file handles, and its uncommitted work is never seen (the
 * database stays as it was before, and the next process migrates it).
 *
 * SQLite has transactional DDL; Kysely's migrator runs its SQLite migrations without a transaction of
 * its own, so they run inside this one.
 */
export async function migrateSqlite(file: string, migrations?: readonly Migrations[]): Promise<void> {
  const sqlite = new SQLite(file);
  // Before anything else: even switching a new file to WAL waits for the lock while another process does.
  sqlite.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    try {
      sqlite.exec('BEGIN IMMEDIATE');
    } catch (error) {
      throw new Error(
        `database migration could not start: ${file} stayed locked by another process for ${MIGRATION_WAIT_MS / 1000} s`,
        { cause: error },
      );
    }
    try {
      await migrateToLatest(db, migrations);
      sqlite.exec('COMMIT');
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    }
  } finally {
    await db.destroy();
  }
}
