import type { Kysely } from 'kysely';

/**
 * Temporary credentials issued by STS AssumeRole (iam/sts-sessions.ts): one row per session, kept past
 * its expiry so a late request is told InvalidSecurityToken.Expired rather than that the key is unknown.
 * The secret is sealed under the master key; the SecurityToken itself is never stored, only its SHA-256
 * (it is 256 random bits, so the digest cannot be reversed). Dialect-neutral DDL, like 001-initial.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sts_sessions')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey()) // `STS.` + random
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('role_name', 'text', (c) => c.notNull())
    .addColumn('role_arn', 'text', (c) => c.notNull())
    .addColumn('session_name', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('policy', 'text') // the session policy document; null: none (the role's policies alone)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  // The prune deletes long-expired sessions by time.
  await db.schema.createIndex('sts_sessions_expires_at').on('sts_sessions').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sts_sessions').execute();
}
