import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { redactDatabaseUrl, type Config } from '../config.js';
import { secureSqliteFiles, type ModeFix } from './file-modes.js';
import type { Migrations } from './migrate.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite/open-sqlite.js';

/**
 * The store the configuration names: PostgreSQL when CAMS_DATABASE_URL is set (several instances share it,
 * architecture.md, "Scale-out"), otherwise the embedded SQLite file in the data directory
 * (architecture.md, "Storage and durability"). Both are migrated to the latest schema before this returns.
 */
export async function openDatabase(
  config: Config,
  log?: Logger,
  options: {
    groupCommit?: boolean;
    migrations?: readonly Migrations[];
    /** The duration of each fsync of SQLite's WAL (group commit only; PostgreSQL syncs on its side). */
    onFsync?: (seconds: number) => void;
  } = {},
): Promise<Kysely<Database>> {
  if (config.databaseUrl === undefined) {
    secureSqliteFiles(config.databaseFile, (fix) => warnModeFixed(log, fix));
    return openSqlite(config.databaseFile, {
      ...options,
      onCheckpointError: (message) => log?.warn({ error: message }, 'WAL checkpoint failed'),
    });
  }
  // Loaded only when configured, to keep the embedded default's start-up short.
  const { openPostgres } = await import('./postgres.js');
  log?.debug({ database: redactDatabaseUrl(config.databaseUrl) }, 'opening PostgreSQL');
  return openPostgres(config.databaseUrl, {
    ...(log ? { log } : {}),
    ...(options.migrations ? { migrations: options.migrations } : {}),
  });
}

/** A file or directory of the service that others could read, now narrowed: the operator is told. */
export function warnModeFixed(log: Logger | undefined, fix: ModeFix): void {
  log?.warn(
    { path: fix.path, mode: fix.was, fixedTo: fix.now },
    `${fix.path} was readable by others (mode ${fix.was}): narrowed to ${fix.now}`,
  );
}
