import type { Kysely } from 'kysely';

// A customer space's own Meta access token (sealed with the master key), used instead of the
// deployment's token for its WABA (issue 4: "optionally one per customer space; encrypted at rest").
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cust_spaces').addColumn('graph_token_sealed', 'text').execute();
}
