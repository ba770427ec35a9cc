import type { Kysely } from 'kysely';

/**
 * The audit trail (store/audit-trail.ts): one row per recorded write or denial, never a secret.
 * Dialect-neutral DDL, like 001-initial; times are ISO 8601 text, which sorts as time does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey()) // a UUID version 7: time-ordered
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text') // null: an AccessKeyId no account holds
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('access_key_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('cust_space_id', 'text')
    .addColumn('phone_number', 'text')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('source_ip', 'text', (c) => c.notNull())
    .execute();
  // Listings are newest first, over a time range (and the prune deletes by time) ...
  await db.schema.createIndex('audit_events_at').on('audit_events').columns(['at', 'id']).execute();
  // ... or one account's, over a time range.
  await db.schema
    .createIndex('audit_events_account_at')
    .on('audit_events')
    .columns(['account_id', 'at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
}
