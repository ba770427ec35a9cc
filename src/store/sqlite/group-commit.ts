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
import { ConnectionLock } from './connection-lock.js';
import type { WalSync } from './wal-sync.js';

/**
 * Group commit for SQLite (measured in docs/PERFORMANCE.md). One request makes several writes: committed one
 * by one, the disk's fsync latency caps the whole service. Here the writes of all requests in flight share
 * one transaction, committed on the next turn of the event loop; a request's answer waits for `flushWrites`
 * (see the HTTP server), so nothing is acknowledged before it is durable. Explicit transactions become
 * savepoints inside the shared one, keeping their all-or-nothing meaning. Prepared statements are cached by
 * SQL text.
 *
 * Durability: until `syncOffLoop` is called, the connection's own synchronous=FULL makes every COMMIT an
 * fsync on the event loop. After it, COMMIT only writes the WAL frames (synchronous=NORMAL) and the
 * WalSync fsyncs them on the thread pool; the commit's waiters resolve only after that fsync.
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
  /** Resolves once every write issued so far is durable (rejects if its commit or fsync failed). */
  flush(): Promise<void> {
    return this.#driver.flush();
  }
  /** From now on, commits are made durable by `walSync` instead of by an fsync inside COMMIT. */
  syncOffLoop(walSync: WalSync): void {
    this.#driver.walSync = walSync;
  }
  /**
   * Runs a compiled query at once when nobody holds the connection (no transaction is open), skipping
   * the connection provider's promises; undefined when it is held (then go through Kysely and wait).
   */
  executeIfFree(query: CompiledQuery): QueryResult<unknown> | undefined {
    return this.#driver.executeIfFree(query);
  }
  /**
   * Runs a compiled query of the explicit transaction that holds the connection at once (the caller is
   * inside its callback: no other transaction can be open); undefined when none is open. A transaction
   * object used after its callback ended is not caught here as Kysely's executor would catch it.
   */
  executeInTransaction(query: CompiledQuery): QueryResult<unknown> | undefined {
    return this.#driver.executeInTransaction(query);
  }
  /** What has changed since a cached read (table-cache.ts). */
  versions(): StoreVersions {
    return this.#driver.versions;
  }
  /**
   * Runs after each shared COMMIT while the connection is still held: work that needs nobody to read or
   * write meanwhile (letting the WAL restart, sqlite.ts). Returns undefined when there is none.
   */
  afterCommit(hook: () => Promise<unknown> | undefined): void {
    this.#driver.afterCommit = hook;
  }
  /** Runs before the connection closes (the checkpointer's last pass). */
  onDestroy(hook: () => Promise<void>): void {
    this.#driver.beforeClose = hook;
  }
}

const STATEMENT_CACHE_SIZE = 500;

interface Prepared {
  readonly stmt: BetterSqlite3.Statement;
  /** Returns rows (a SELECT, a PRAGMA that answers, a write with RETURNING). */
  readonly reader: boolean;
  /**
   * Changes the database, so it belongs in the shared transaction: better-sqlite3's `readonly` is false
   * also for `INSERT ... RETURNING`, which is a reader too. PRAGMAs are never put in a transaction.
   */
  readonly write: boolean;
  readonly pragma: boolean;
  /** The table a write changes; undefined for a write that may change any (DDL, unrecognized SQL). */
  readonly table: string | undefined;
}

/**
 * Change counters for caches of this store (table-cache.ts): `external()` changes when another
 * connection (the CLI in another process) commits; `any()` when this connection rolls anything back (a
 * cached value may have been read from the rolled-back write) or writes a table it cannot name;
 * `table(name)` when this connection writes the table.
 */
export interface StoreVersions {
  external(): number;
  any(): number;
  table(name: string): number;
}

const WRITTEN_TABLE =
  /^\s*(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+"?([A-Za-z_]\w*)"?/i;

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** The SAVEPOINT, RELEASE and ROLLBACK TO statements of one nesting depth, prepared once. */
interface SavepointStatements {
  readonly begin: BetterSqlite3.Statement;
  readonly release: BetterSqlite3.Statement;
  readonly rollbackTo: BetterSqlite3.Statement;
}

class GroupCommitDriver implements Driver {
  readonly #db: BetterSqlite3.Database;
  readonly #lock = new ConnectionLock();
  readonly #statements = new Map<string, Prepared>();
  readonly #begin: BetterSqlite3.Statement;
  readonly #commitStmt: BetterSqlite3.Statement;
  readonly #rollback: BetterSqlite3.Statement;
  readonly #savepointStatements: SavepointStatements[] = [];
  /** The shared transaction is open, with these callers waiting for its COMMIT. */
  #open = false;
  /** Something in the shared transaction changed a row: its COMMIT has frames to make durable. */
  #dirty = false;
  #waiters: Waiter[] = [];
  #scheduled = false;
  #savepoints = 0;
  readonly #connection: DatabaseConnection;
  walSync: WalSync | undefined;
  beforeClose: (() => Promise<void>) | undefined;
  afterCommit: (() => Promise<unknown> | undefined) | undefined;
  /** Bumped by a write whose table is unknown and by every rollback: every table has changed. */
  #allTables = 0;
  readonly #tableWrites = new Map<string, number>();
  readonly versions: StoreVersions;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commitStmt = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    // Read once per turn of the event loop (outside a transaction it costs a read transaction): a
    // commit by another process during the turn is seen on the next one.
    let external: number | undefined;
    const forget = () => (external = undefined);
    this.versions = {
      external: () => {
        if (external === undefined) {
          external = dataVersion.get() as number;
          setImmediate(forget);
        }
        return external;
      },
      any: () => this.#allTables,
      table: (name) => this.#tableWrites.get(name) ?? 0,
    };
    this.#connection = {
      executeQuery: <R>(q: CompiledQuery) => Promise.resolve(this.#execute(q) as QueryResult<R>),
      streamQuery: () => {
        throw new Error('streaming is not supported by the group-commit SQLite driver');
      },
    };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  executeIfFree(query: CompiledQuery): QueryResult<unknown> | undefined {
    if (this.#lock.held) return undefined;
    return this.#execute(query);
  }

  executeInTransaction(query: CompiledQuery): QueryResult<unknown> | undefined {
    if (!this.#lock.held || this.#savepoints === 0) return undefined;
    return this.#execute(query);
  }

  #savepoint(depth: number): SavepointStatements {
    let s = this.#savepointStatements[depth];
    if (s === undefined) {
      s = {
        begin: this.#db.prepare(`SAVEPOINT gc_${depth}`),
        release: this.#db.prepare(`RELEASE gc_${depth}`),
        rollbackTo: this.#db.prepare(`ROLLBACK TO gc_${depth}`),
      };
      this.#savepointStatements[depth] = s;
    }
    return s;
  }

  async beginTransaction(): Promise<void> {
    this.#ensureOpen();
    this.#savepoints++;
    this.#savepoint(this.#savepoints).begin.run();
  }

  async commitTransaction(): Promise<void> {
    this.#savepoint(this.#savepoints).release.run();
    this.#savepoints--;
  }

  async rollbackTransaction(): Promise<void> {
    if (this.#db.inTransaction) {
      const s = this.#savepoint(this.#savepoints);
      s.rollbackTo.run();
      s.release.run();
    }
    this.#allTables++;
    this.#savepoints--;
  }

  async destroy(): Promise<void> {
    await this.flush().catch(() => undefined);
    await this.beforeClose?.().catch(() => undefined);
    this.#db.close();
  }

  flush(): Promise<void> {
    if (!this.#open) return this.walSync?.idle() ?? Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #statement(sql: string): Prepared {
    let prepared = this.#statements.get(sql);
    if (prepared === undefined) {
      const pragma = /^\s*pragma\b/i.test(sql);
      // Some PRAGMAs (synchronous) refuse even to be prepared inside a transaction.
      if (pragma) this.#commitBeforePragma();
      const stmt = this.#db.prepare(sql);
      const write = !pragma && !stmt.readonly;
      const table = write ? WRITTEN_TABLE.exec(sql)?.[1] : undefined;
      prepared = { stmt, reader: stmt.reader, write, pragma, table };
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        this.#statements.delete(this.#statements.keys().next().value as string);
      }
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }

  /** PRAGMAs such as synchronous or wal_checkpoint refuse to run inside a transaction. */
  #commitBeforePragma(): void {
    // The caller holds the connection, so at depth 0 no explicit transaction is open: commit first.
    if (this.#open && this.#savepoints === 0) this.#commitNow();
  }

  #execute(query: CompiledQuery): QueryResult<unknown> {
    const { stmt, reader, write, pragma, table } = this.#statement(query.sql);
    if (pragma) this.#commitBeforePragma();
    const parameters = query.parameters as unknown[];
    if (!write) {
      if (reader) return { rows: stmt.all(parameters) };
      stmt.run(parameters);
      return { rows: [] };
    }
    this.#ensureOpen();
    if (table === undefined) {
      this.#allTables++;
      this.#dirty = true; // DDL and the like report no changed rows
    } else this.#tableWrites.set(table, (this.#tableWrites.get(table) ?? 0) + 1);
    try {
      if (reader) {
        const rows = stmt.all(parameters);
        if (rows.length > 0) this.#dirty = true;
        return { rows };
      }
      const { changes, lastInsertRowid } = stmt.run(parameters);
      if (changes > 0) this.#dirty = true;
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } catch (error) {
      // Some errors (disk full, I/O) make SQLite roll the whole transaction back: its writers must learn.
      if (!this.#db.inTransaction) {
        this.#allTables++;
        this.#dirty = false;
        this.#settle(Promise.reject(error));
      }
      throw error;
    }
  }

  #ensureOpen(): void {
    if (this.#open) return;
    this.#begin.run();
    this.#open = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => void this.#commit());
  }

  /** COMMIT under the connection lock, so it never lands inside an explicit transaction. */
  async #commit(): Promise<void> {
    await this.#lock.acquire();
    this.#scheduled = false;
    try {
      if (this.#open) this.#commitNow();
      const pending = this.afterCommit?.();
      if (pending !== undefined) await pending.catch(() => undefined);
    } finally {
      this.#lock.release();
    }
  }

  #commitNow(): void {
    try {
      if (this.#db.inTransaction) this.#commitStmt.run();
      // A transaction that changed no row (a poll that leased nothing) wrote no frame to make durable,
      // but what its callers answer may rest on an earlier commit whose fsync is still running.
      const dirty = this.#dirty;
      this.#dirty = false;
      this.#settle((dirty ? this.walSync?.sync() : this.walSync?.idle()) ?? Promise.resolve());
    } catch (error) {
      if (this.#db.inTransaction) this.#rollback.run();
      this.#dirty = false;
      this.#allTables++;
      this.#settle(Promise.reject(error));
    }
  }

  /** The shared transaction is over; its waiters learn the outcome when `durable` settles. */
  #settle(durable: Promise<void>): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#open = false;
    durable.then(
      () => {
        for (const w of waiters) w.resolve();
      },
      (error: unknown) => {
        for (const w of waiters) w.reject(error);
      },
    );
  }
}

const DIALECTS = new WeakMap<object, GroupCommitDialect>();

/** By the dialect's adapter, which a Kysely instance shares with its transactions. */
const DIALECTS_BY_ADAPTER = new WeakMap<object, GroupCommitDialect>();

export function registerGroupCommit<DB>(db: Kysely<DB>, dialect: GroupCommitDialect): void {
  DIALECTS.set(db, dialect);
  DIALECTS_BY_ADAPTER.set(db.getExecutor().adapter, dialect);
}

/** The group-commit dialect of a store opened with it (the root Kysely instance, not a transaction). */
export function groupCommitOf(db: object): GroupCommitDialect | undefined {
  return DIALECTS.get(db);
}

/** The group-commit dialect of a store or of one of its transactions. */
export function groupCommitOfAny<DB>(db: Kysely<DB>): GroupCommitDialect | undefined {
  return DIALECTS_BY_ADAPTER.get(db.getExecutor().adapter);
}

/** The change counters of a store with group commit; undefined for others (nothing to tell by). */
export function storeVersions(db: object): StoreVersions | undefined {
  return DIALECTS.get(db)?.versions();
}

/** Waits until the writes issued so far are durable; immediate for stores without group commit. */
export function flushWrites(db: object): Promise<void> {
  return DIALECTS.get(db)?.flush() ?? Promise.resolve();
}
