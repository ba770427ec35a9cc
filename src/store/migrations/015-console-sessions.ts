import type { Kysely } from 'kysely';

// The operator console's sessions (src/web/console/console-sessions.ts), kept in the store so they work
// behind a load balancer and survive a restart. The key is the SHA-256 of the cookie's random id, never
// the id itself; times are ISO 8601 UTC like every other table's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_sessions')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('console_sessions_last_seen')
    .on('console_sessions')
    .columns(['last_seen_at'])
    .execute();
}
