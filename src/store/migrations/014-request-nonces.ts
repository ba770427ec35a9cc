import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The signature nonces of the requests that change state (store/request-nonces-repo.ts), so a captured
 * request cannot be replayed after a restart while its timestamp still passes (cams-api.md §3.3).
 * `expires_at` is milliseconds since the epoch: the request's signed timestamp + 15 minutes, the same
 * for every copy of one captured request (changing the timestamp breaks its signature). Keyed by it
 * first, so new rows go to the end of the one B-tree (on SQLite the table is that B-tree, WITHOUT ROWID):
 * a write request adds about a row to a page already written by its commit, and the prune deletes a
 * range from the front.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const create = db.schema
    .createTable('request_nonces')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('access_key_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('request_nonces_pkey', ['expires_at', 'access_key_id', 'nonce']);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await (postgres ? create : create.modifyEnd(sql`without rowid`)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('request_nonces').execute();
}
