import type { Kysely } from 'kysely';

/**
 * Tables of the simulator's phone-number lifecycle (whatsapp-upstream.md §1.2, §1.13). Dialect-neutral DDL
 * (text / integer only) like 001; timestamps are ISO 8601 text in simulator time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sim_number_states')
    .addColumn('phone_number_id', 'text', (c) => c.primaryKey().references('sim_phone_numbers.id'))
    .addColumn('verified_at', 'text')
    .addColumn('pin', 'text')
    .addColumn('pin_failures', 'integer', (c) => c.notNull())
    .addColumn('last_pin_failure_at', 'text')
    .addColumn('registered_at', 'text')
    .addColumn('deregistered_at', 'text')
    .addColumn('register_blocked_until', 'text')
    .addColumn('name_review_due_at', 'text', (c) => c.notNull())
    .addColumn('name_decision', 'text')
    .addColumn('name_rejection_reason', 'text')
    .addColumn('name_explanation', 'text')
    .execute();

  await db.schema
    .createTable('sim_registration_calls')
    .addColumn('phone_number_id', 'text', (c) => c.notNull().references('sim_phone_numbers.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sim_registration_calls_pk', ['phone_number_id', 'seq'])
    .execute();

  await db.schema
    .createTable('sim_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('phone_number_id', 'text', (c) => c.notNull().references('sim_phone_numbers.id'))
    .addColumn('e164', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sim_outbox_number').on('sim_outbox').columns(['phone_number_id']).execute();
  await db.schema.createIndex('sim_outbox_e164').on('sim_outbox').columns(['e164']).execute();

  await db.schema
    .createTable('sim_business_profiles')
    .addColumn('phone_number_id', 'text', (c) => c.primaryKey().references('sim_phone_numbers.id'))
    .addColumn('about', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('profile_picture_url', 'text', (c) => c.notNull())
    .addColumn('vertical', 'text', (c) => c.notNull())
    .addColumn('websites', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sim_faults')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('phone_number_id', 'text')
    .addColumn('e164', 'text')
    .addColumn('waba_id', 'text')
    .addColumn('code', 'integer', (c) => c.notNull())
    .addColumn('subcode', 'integer')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('user_title', 'text')
    .addColumn('user_message', 'text')
    .addColumn('http_status', 'integer', (c) => c.notNull())
    .addColumn('transient', 'integer', (c) => c.notNull())
    .addColumn('remaining', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sim_clock')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('offset_ms', 'text', (c) => c.notNull())
    .execute();
}
