import type { Kysely } from 'kysely';

/**
 * phone_numbers(account_id, cust_space_id) duplicated what the unique (cust_space_id, e164) index already
 * finds (a space belongs to one account), and cost every Add a write to one more random index page
 * (docs/PERFORMANCE.md). Account-wide listings go through cust_spaces_account instead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('phone_numbers_account_space').ifExists().execute();
}
