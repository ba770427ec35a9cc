import type { Kysely } from 'kysely';

/**
 * Separate register and deregister budgets (whatsapp-upstream.md §1.6, §3.4): the block after a deregister's
 * 133016 is kept apart from the register block. Single-use verification codes (whatsapp-upstream.md §1.5):
 * when verify_code accepted a code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sim_number_states').addColumn('deregister_blocked_until', 'text').execute();
  await db.schema.alterTable('sim_outbox').addColumn('used_at', 'text').execute();
}
