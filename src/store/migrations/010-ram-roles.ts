import type { Kysely } from 'kysely';

/**
 * RAM roles (store/ram-roles-repo.ts) and the policies attached to them. Dialect-neutral DDL, like
 * 001-initial. A role's name is unique in its account without case (`name_key`, lower case), as the
 * lower-cased name in its ARN is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ram_roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('trust_policy', 'text', (c) => c.notNull())
    .addColumn('max_session_duration', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('ram_roles_account_name', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('role_policy_attachments')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('role_id', 'text', (c) => c.notNull().references('ram_roles.id'))
    .addColumn('policy_type', 'text', (c) => c.notNull())
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_policy_attachments_pk', ['role_id', 'policy_type', 'policy_name'])
    .execute();
  // ListEntitiesForPolicy and DeletePolicy look attachments up by policy.
  await db.schema
    .createIndex('role_policy_attachments_policy')
    .on('role_policy_attachments')
    .columns(['account_id', 'policy_type', 'policy_name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('role_policy_attachments').execute();
  await db.schema.dropTable('ram_roles').execute();
}
