import { sql, type Kysely } from 'kysely';

/**
 * What the RAM API (2015-05-01) keeps beyond the CLI's first identities: the versions of custom policies
 * (CreatePolicyVersion, SetDefaultPolicyVersion; at most five each), each policy's default version and
 * change time, and the RAM user fields CreateUser and UpdateUser carry (Comments, Email, MobilePhone,
 * UpdateDate). Every existing policy gets its document as version v1, its default. Dialect-neutral DDL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('custom_policy_versions')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('custom_policy_versions_pk', ['account_id', 'policy_name', 'version_id'])
    .execute();
  await db.schema
    .alterTable('custom_policies')
    .addColumn('default_version', 'text', (c) => c.notNull().defaultTo('v1'))
    .execute();
  await db.schema.alterTable('custom_policies').addColumn('updated_at', 'text').execute();
  await sql`insert into custom_policy_versions (account_id, policy_name, version_id, document, created_at)
            select account_id, name, 'v1', document, created_at from custom_policies`.execute(db);

  for (const column of ['comments', 'email', 'mobile_phone'])
    await db.schema
      .alterTable('ram_users')
      .addColumn(column, 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  await db.schema.alterTable('ram_users').addColumn('updated_at', 'text').execute();
}
