import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001-initial.js';
import * as lifecycle from './migrations/004-lifecycle.js';
import * as spaceGraphToken from './migrations/005-space-graph-token.js';
import * as dropAccountSpaceIndex from './migrations/006-drop-account-space-index.js';
import * as audit from './migrations/007-audit.js';
import * as nameRejectionReason from './migrations/009-name-rejection-reason.js';
import * as ramRoles from './migrations/010-ram-roles.js';
import * as stsSessions from './migrations/011-sts-sessions.js';
import * as ramPolicyVersions from './migrations/012-ram-policy-versions.js';
import * as hotQueryIndexes from './migrations/013-hot-query-indexes.js';
import * as requestNonces from './migrations/014-request-nonces.js';
import * as consoleSessions from './migrations/015-console-sessions.js';

/** Named migrations of one owner of tables, compiled in (no directory scanning). */
export type Migrations = Readonly<Record<string, Migration>>;

/** The store's own tables. The simulator and the webhook outbox bring theirs (composeMigrations). */
export const STORE_MIGRATIONS: Migrations = {
  '001-initial': initial,
  '004-lifecycle': lifecycle,
  '005-space-graph-token': spaceGraphToken,
  '006-drop-account-space-index': dropAccountSpaceIndex,
  '007-audit': audit,
  '009-name-rejection-reason': nameRejectionReason,
  '010-ram-roles': ramRoles,
  '011-sts-sessions': stsSessions,
  '012-ram-policy-versions': ramPolicyVersions,
  '013-hot-query-indexes': hotQueryIndexes,
  '014-request-nonces': requestNonces,
  '015-console-sessions': consoleSessions,
};

/**
 * One history from the migrations of every owner of tables in the database, run in name order. A name
 * that several owners use is one migration running their parts in the order given: the history keeps
 * the names databases already recorded ('001-initial' made the store's and the simulator's first tables
 * together), so the wings could take their tables without a migration of their own.
 */
export function composeMigrations(sets: readonly Migrations[]): Record<string, Migration> {
  const parts = new Map<string, Migration[]>();
  for (const set of sets)
    for (const [name, migration] of Object.entries(set))
      parts.set(name, [...(parts.get(name) ?? []), migration]);
  return Object.fromEntries(
    [...parts].map(([name, list]) => [
      name,
      list.length === 1
        ? list[0]!
        : {
            up: async (db) => {
              for (const m of list) await m.up(db);
            },
          },
    ]),
  );
}

async function migrate(
  db: Kysely<unknown>,
  sets: readonly Migrations[],
  migrationTableSchema?: string,
): Promise<void> {
  const migrations = composeMigrations(sets);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}

/**
 * Applies the pending migrations. On PostgreSQL several instances may start together, so the
 * whole run, including the creation of Kysely's own bookkeeping tables, happens under a session-level
 * advisory lock, keyed by the schema so deployments in other schemas of the database do not wait for it.
 * The lock is held on one connection while the migrator works on another: the pool needs two.
 *
 * Kysely's bookkeeping tables are named with the schema explicitly: unqualified, Kysely looks for them in
 * every schema of the database, finds another deployment's, and skips creating its own.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  sets: readonly Migrations[] = [STORE_MIGRATIONS],
): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return migrate(db, sets);
  const key = sql`hashtext('cams-migrations:' || coalesce(current_schema(), ''))`;
  await db.connection().execute(async (lock) => {
    await sql`select pg_advisory_lock(${key})`.execute(lock);
    try {
      const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(lock);
      const schema = rows[0]?.schema;
      if (!schema) throw new Error('no schema to migrate: the search_path names no existing schema');
      await migrate(db, sets, schema);
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(lock);
    }
  });
}
