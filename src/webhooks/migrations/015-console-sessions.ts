import type { Kysely } from 'kysely';

// Every delivery attempt of a webhook event, for the operator's console (README, "The console"): the
// event row keeps only the last answer. The webhook outbox's part of migration 015-console-sessions
// (store/migrate.ts composeMigrations runs every owner's part of one name).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_attempts')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('webhook_attempts_pk', ['event_id', 'attempt'])
    .execute();
}
