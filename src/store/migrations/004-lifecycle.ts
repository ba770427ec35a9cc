import type { Kysely } from 'kysely';

// Local state of the number lifecycle: the registration PIN this service owns (sealed), and the
// callback settings of UpdatePhoneWebhook (per number) and UpdateAccountWebhook (per customer space).
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [column, type] of [
    ['pin_sealed', 'text'],
    ['http_flag', 'text'],
    ['queue_flag', 'text'],
  ] as const) {
    await db.schema.alterTable('phone_numbers').addColumn(column, type).execute();
  }
  for (const column of ['status_callback_url', 'http_flag', 'queue_flag']) {
    await db.schema.alterTable('cust_spaces').addColumn(column, 'text').execute();
  }
}
