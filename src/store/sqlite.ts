import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { flushWrites, GroupCommitDialect, registerGroupCommit } from './group-commit.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

/**
 * The embedded default store: one SQLite file in WAL mode. synchronous=FULL keeps every acknowledged
 * write durable across power loss; busy_timeout lets CLI writes wait for the server's transaction.
 * Concurrent writes share one commit (group-commit.ts): callers that acknowledge a write to someone
 * first await flushWrites(db).
 */
export async function openSqlite(
  file: string,
  options: { groupCommit?: boolean } = {},
): Promise<Kysely<Database>> {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Group commit is for the one handle a serving process has: a second handle in the same process would
  // wait synchronously (busy_timeout) for a lock that only the blocked event loop could release.
  let db: Kysely<Database>;
  if (options.groupCommit) {
    const dialect = new GroupCommitDialect(sqlite);
    db = new Kysely<Database>({ dialect });
    registerGroupCommit(db, dialect);
  } else {
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  await migrateToLatest(db as unknown as Kysely<unknown>);
  await flushWrites(db);
  return db;
}
