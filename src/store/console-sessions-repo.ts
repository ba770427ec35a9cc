import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A console session as stored: its key is the SHA-256 of the cookie's id (015-console-sessions). */
export interface StoredConsoleSession {
  readonly key: string;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
}

/** The console_sessions table, on SQLite and PostgreSQL alike. */
export class ConsoleSessionsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(s: StoredConsoleSession): Promise<void> {
    await this.#db
      .insertInto('console_sessions')
      .values({ key: s.key, csrf_token: s.csrfToken, created_at: s.createdAt, last_seen_at: s.lastSeenAt })
      .execute();
  }

  async get(key: string): Promise<StoredConsoleSession | undefined> {
    const row = await this.#db
      .selectFrom('console_sessions')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { key: row.key, csrfToken: row.csrf_token, createdAt: row.created_at, lastSeenAt: row.last_seen_at };
  }

  async touch(key: string, lastSeenAt: string): Promise<void> {
    await this.#db
      .updateTable('console_sessions')
      .set({ last_seen_at: lastSeenAt })
      .where('key', '=', key)
      .execute();
  }

  async delete(key: string): Promise<void> {
    await this.#db.deleteFrom('console_sessions').where('key', '=', key).execute();
  }

  /** Removes sessions unused since `idleBefore` or begun before `createdBefore`. */
  async deleteExpired(idleBefore: string, createdBefore: string): Promise<void> {
    await this.#db
      .deleteFrom('console_sessions')
      .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]))
      .execute();
  }
}
