import type { DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';
import { causedBy, unavailable } from '../errors/index.js';

// What an unreachable or stalled PostgreSQL throws: PostgreSQL's SQLSTATEs of a lost connection (class
// 08), a shutdown or a server not accepting connections yet (57P01-57P03), too many connections (53300)
// and statement_timeout (57014); and the driver errors that carry no code: pg's connect and query
// timeouts and dropped connections. Network system errors are matched by `causedBy` itself.
const PG_CODES = /^(?:08[0-9A-Z]{3}|57P0[1-3]|53300|57014)$/;
const PG_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not queryable|Stream isn't writeable/i;

/** A store error that means "PostgreSQL cannot be reached now", as the catalogued ServiceUnavailable. */
export function mapPostgresError(error: unknown): unknown {
  return causedBy(error, PG_CODES, PG_MESSAGES) ? unavailable(error) : error;
}

const mapped = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    throw mapPostgresError(error);
  }
};

/**
 * The dialect with every error of its driver and connections passed through `mapPostgresError`: callers
 * (the pipeline, the reconciler, the webhook dispatcher) see catalogued errors, never driver errors.
 */
export function withUnavailableErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => dialect.createIntrospector(db),
    createDriver: () => new MappedDriver(dialect.createDriver()),
  };
}

class MappedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;
  constructor(inner: DatabaseConnection) {
    this.inner = inner;
  }
  executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
    return mapped(() => this.inner.executeQuery<R>(query));
  }
  async *streamQuery<R>(
    query: Parameters<DatabaseConnection['streamQuery']>[0],
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw mapPostgresError(error);
    }
  }
}

const inner = (c: DatabaseConnection) => (c instanceof MappedConnection ? c.inner : c);

class MappedDriver implements Driver {
  readonly #d: Driver;
  constructor(driver: Driver) {
    this.#d = driver;
  }
  init = () => mapped(() => this.#d.init());
  acquireConnection = () => mapped(async () => new MappedConnection(await this.#d.acquireConnection()));
  beginTransaction = (c: DatabaseConnection, s: TransactionSettings) =>
    mapped(() => this.#d.beginTransaction(inner(c), s));
  commitTransaction = (c: DatabaseConnection) => mapped(() => this.#d.commitTransaction(inner(c)));
  rollbackTransaction = (c: DatabaseConnection) => mapped(() => this.#d.rollbackTransaction(inner(c)));
  savepoint: Driver['savepoint'] = (c, name, compile) =>
    mapped(() => this.#d.savepoint!(inner(c), name, compile));
  rollbackToSavepoint: Driver['rollbackToSavepoint'] = (c, name, compile) =>
    mapped(() => this.#d.rollbackToSavepoint!(inner(c), name, compile));
  releaseSavepoint: Driver['releaseSavepoint'] = (c, name, compile) =>
    mapped(() => this.#d.releaseSavepoint!(inner(c), name, compile));
  releaseConnection = (c: DatabaseConnection) => this.#d.releaseConnection(inner(c));
  destroy = () => this.#d.destroy();
}
