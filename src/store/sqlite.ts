import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

/**
 * The embedded default store: one SQLite file in WAL mode. synchronous=FULL keeps every acknowledged
 * write durable across power loss; busy_timeout lets CLI writes wait for the server's transaction.
 */
export async function openSqlite(file: string): Promise<Kysely<Database>> {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  return db;
}
