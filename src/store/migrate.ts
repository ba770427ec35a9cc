import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001-initial.js';
import * as simulatorLifecycle from './migrations/002-simulator-lifecycle.js';
import * as webhooks from './migrations/003-webhooks.js';
import * as lifecycle from './migrations/004-lifecycle.js';

/** Migrations are compiled in (no directory scanning), in order. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-simulator-lifecycle': simulatorLifecycle,
  '003-webhooks': webhooks,
  '004-lifecycle': lifecycle,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
