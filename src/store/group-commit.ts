import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * Group commit for SQLite (issue 6, item 5). With synchronous=FULL every COMMIT is an fsync, and one
 * request makes several writes: committed one by one, the disk's fsync latency caps the whole service.
 * Here the writes of all requests in flight share one transaction, committed on the next turn of the
 * event loop; a request's answer waits for `flushWrites` (see the HTTP server), so nothing is
 * acknowledged before it is durable. Explicit transactions become savepoints inside the shared one,
 * keeping their all-or-nothing meaning. Prepared statements are cached by SQL text.
 */
export class GroupCommitDialect implements Dialect {
  readonly #driver: GroupCommitDriver;
  constructor(database: BetterSqlite3.Database) {
    this.#driver = new GroupCommitDriver(database);
  }
  createDriver(): Driver {
    return this.#driver;
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
  /** Resolves once every write issued so far is committed (rejects if that commit failed). */
  flush(): Promise<void> {
    return this.#driver.flush();
  }
}

const STATEMENT_CACHE_SIZE = 500;

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    return previous.then(() => release);
  }
}

class GroupCommitDriver implements Driver {
  readonly #db: BetterSqlite3.Database;
  readonly #mutex = new Mutex();
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  #release: (() => void) | undefined;
  /** The shared transaction is open, with these callers waiting for its COMMIT. */
  #open = false;
  #waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  #scheduled = false;
  #savepoints = 0;
  readonly #connection: DatabaseConnection;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#connection = {
      executeQuery: <R>(q: CompiledQuery) => this.#execute(q) as Promise<QueryResult<R>>,
      streamQuery: () => {
        throw new Error('streaming is not supported by the group-commit SQLite driver');
      },
    };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async beginTransaction(): Promise<void> {
    this.#ensureOpen();
    this.#savepoints++;
    this.#db.exec(`SAVEPOINT gc_${this.#savepoints}`);
  }

  async commitTransaction(): Promise<void> {
    this.#db.exec(`RELEASE gc_${this.#savepoints}`);
    this.#savepoints--;
  }

  async rollbackTransaction(): Promise<void> {
    if (this.#db.inTransaction) {
      this.#db.exec(`ROLLBACK TO gc_${this.#savepoints}`);
      this.#db.exec(`RELEASE gc_${this.#savepoints}`);
    }
    this.#savepoints--;
  }

  async destroy(): Promise<void> {
    await this.flush().catch(() => undefined);
    this.#db.close();
  }

  flush(): Promise<void> {
    if (!this.#open) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.#statements.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        this.#statements.delete(this.#statements.keys().next().value as string);
      }
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  async #execute(query: CompiledQuery): Promise<QueryResult<unknown>> {
    // PRAGMAs such as synchronous or wal_checkpoint refuse to run inside a transaction: commit the shared
    // one first (the caller holds the connection, and no explicit transaction is open at depth 0).
    if (/^\s*pragma\b/i.test(query.sql) && this.#open && this.#savepoints === 0) this.#commitNow();
    const stmt = this.#statement(query.sql);
    const parameters = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) };
    this.#ensureOpen();
    try {
      const { changes, lastInsertRowid } = stmt.run(parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } catch (error) {
      // Some errors (disk full, I/O) make SQLite roll the whole transaction back: its writers must learn.
      if (!this.#db.inTransaction) this.#settle(error);
      throw error;
    }
  }

  #ensureOpen(): void {
    if (this.#open) return;
    this.#db.exec('BEGIN IMMEDIATE');
    this.#open = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => void this.#commit());
  }

  /** COMMIT under the connection mutex, so it never lands inside an explicit transaction. */
  async #commit(): Promise<void> {
    const release = await this.#mutex.lock();
    this.#scheduled = false;
    try {
      if (this.#open) this.#commitNow();
    } finally {
      release();
    }
  }

  #commitNow(): void {
    try {
      if (this.#db.inTransaction) this.#db.exec('COMMIT');
      this.#settle(undefined);
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      this.#settle(error);
    }
  }

  #settle(error: unknown): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#open = false;
    for (const w of waiters) {
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
  }
}

const DIALECTS = new WeakMap<object, GroupCommitDialect>();

export function registerGroupCommit(db: object, dialect: GroupCommitDialect): void {
  DIALECTS.set(db, dialect);
}

/** Waits until the writes issued so far are durable; immediate for stores without group commit. */
export function flushWrites(db: object): Promise<void> {
  return DIALECTS.get(db)?.flush() ?? Promise.resolve();
}
