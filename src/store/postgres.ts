import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { redactDatabaseUrl } from '../config.js';
import { migrateToLatest, type Migrations } from './migrate.js';
import { withUnavailableErrors } from './unavailable-dialect.js';
import type { Database } from './schema.js';

/**
 * Bounds on every wait, so an unreachable or stalled PostgreSQL turns a request into ServiceUnavailable
 * within seconds instead of a hang, and before the official SDK gives up on its own (its
 * default read timeout is 3 s). connectionTimeoutMillis bounds connecting and waiting for a pooled
 * connection; statement_timeout is PostgreSQL's own limit on a statement; query_timeout is the client's,
 * which also covers a server that stopped answering. Every query of this service is a short OLTP
 * statement, so two seconds is far beyond a healthy one. TCP keepalive after 10 s idle finds connections a
 * network failure left dead.
 */
export const PG_TIMEOUTS = {
  connectionTimeoutMillis: 2_000,
  query_timeout: 2_000,
  statement_timeout: 2_000,
  idle_in_transaction_session_timeout: 10_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
} as const;

/** Waiting for another instance's migration is expected at start, so these connections wait longer. */
const MIGRATION_TIMEOUT_MS = 120_000;

export interface PostgresOptions {
  /** Connections per instance; the total over all instances must stay under PostgreSQL's max_connections. */
  readonly poolSize?: number;
  readonly log?: Logger;
  /** Every owner's migrations (store/migrate.ts); the store's own by default. */
  readonly migrations?: readonly Migrations[];
}

function newPool(url: string, config: pg.PoolConfig, log: Logger | undefined): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, ...config });
  // An idle client whose server went away emits 'error' on the pool; without a listener that would crash
  // the process. The pool drops the client and connects a new one on the next query, which is recovery.
  // Only the message: pg-pool attaches the whole client (connection parameters included) to the error.
  pool.on('error', (error) => log?.warn({ error: error.message }, 'PostgreSQL connection lost'));
  // A client that is checked out (between a query and its release) has no pool listener: its 'error' event
  // would crash the process too. Its next query fails instead, the request answers ServiceUnavailable and
  // the pool drops the client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * The shared store (architecture.md, "Scale-out"): the same Kysely code as SQLite, over a pg pool. Migrations
 * run first on their own connection, under the lock `migrateToLatest` takes, so instances starting together
 * apply each migration once. A server that cannot be reached at start fails the start with a clear message (a
 * supervisor restarts the instance); once running, outages answer ServiceUnavailable.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Kysely<Database>> {
  const migrator = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: newPool(
        url,
        {
          ...PG_TIMEOUTS,
          max: 2,
          query_timeout: MIGRATION_TIMEOUT_MS,
          statement_timeout: MIGRATION_TIMEOUT_MS,
        },
        options.log,
      ),
    }),
  });
  try {
    await migrateToLatest(migrator, options.migrations);
  } catch (error) {
    throw new Error(`PostgreSQL at ${redactDatabaseUrl(url)}: ${(error as Error).message}`, { cause: error });
  } finally {
    await migrator.destroy();
  }
  const pool = newPool(url, { ...PG_TIMEOUTS, max: options.poolSize ?? 10 }, options.log);
  // Once running, an outage is the catalogued ServiceUnavailable, not a driver error (unavailable-dialect.ts).
  return new Kysely<Database>({ dialect: withUnavailableErrors(new PostgresDialect({ pool })) });
}
