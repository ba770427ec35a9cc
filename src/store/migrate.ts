import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001-initial.js';
import * as simulatorLifecycle from './migrations/002-simulator-lifecycle.js';
import * as webhooks from './migrations/003-webhooks.js';
import * as lifecycle from './migrations/004-lifecycle.js';
import * as spaceGraphToken from './migrations/005-space-graph-token.js';
import * as dropAccountSpaceIndex from './migrations/006-drop-account-space-index.js';

/** Migrations are compiled in (no directory scanning), in order. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-simulator-lifecycle': simulatorLifecycle,
  '003-webhooks': webhooks,
  '004-lifecycle': lifecycle,
  '005-space-graph-token': spaceGraphToken,
  '006-drop-account-space-index': dropAccountSpaceIndex,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

async function migrate(db: Kysely<unknown>, migrationTableSchema?: string): Promise<void> {
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
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return migrate(db);
  const key = sql`hashtext('cams-migrations:' || coalesce(current_schema(), ''))`;
  await db.connection().execute(async (lock) => {
    await sql`select pg_advisory_lock(${key})`.execute(lock);
    try {
      const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(lock);
      const schema = rows[0]?.schema;
      if (!schema) throw new Error('no schema to migrate: the search_path names no existing schema');
      await migrate(db, schema);
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(lock);
    }
  });
}
