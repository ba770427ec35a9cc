import type { Kysely } from 'kysely';

/**
 * The simulator's first tables: its WABAs, their phone numbers, and its counters. Part of the service's
 * first migration ('001-initial'), run after the store's part (store/migrate.ts composes them by name).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sim_wabas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sim_phone_numbers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('waba_id', 'text', (c) => c.notNull().references('sim_wabas.id'))
    .addColumn('cc', 'text', (c) => c.notNull())
    .addColumn('phone_number', 'text', (c) => c.notNull())
    .addColumn('e164', 'text', (c) => c.notNull())
    .addColumn('verified_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code_verification_status', 'text', (c) => c.notNull())
    .addColumn('name_status', 'text', (c) => c.notNull())
    .addColumn('quality_rating', 'text', (c) => c.notNull())
    .addColumn('messaging_limit_tier', 'text', (c) => c.notNull())
    .addColumn('platform_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sim_phone_numbers_waba_e164', ['waba_id', 'e164'])
    .execute();

  await db.schema
    .createTable('sim_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
}
