import type { Kysely } from 'kysely';

/**
 * The signature nonces of the requests that change state (store/request-nonces-repo.ts), so a captured
 * request cannot be replayed after a restart while its timestamp still passes (cams-api.md §3.3).
 * Dialect-neutral DDL, like 001-initial; `expires_at` is milliseconds since the epoch.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('request_nonces')
    .addColumn('access_key_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('request_nonces_pkey', ['access_key_id', 'nonce'])
    .execute();
  // The prune deletes by expiry, oldest first.
  await db.schema
    .createIndex('request_nonces_expires_at')
    .on('request_nonces')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('request_nonces').execute();
}
