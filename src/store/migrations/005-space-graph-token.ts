import type { Kysely } from 'kysely';

// A customer space's own Meta access token (sealed with the master key), used instead of the
// deployment's token for its WABA: a deployment may give each
// customer space its own token (architecture.md, "Upstream providers").
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cust_spaces').addColumn('graph_token_sealed', 'text').execute();
}
