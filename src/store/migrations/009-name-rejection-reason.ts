import type { Kysely } from 'kysely';

// Why Meta declined a number's display name (its `rejection_reason`, whatsapp-upstream.md §1.7), so the
// customer sees it beside NameStatus Rejected (cams-api.md §1.3, QueryChatappPhoneNumbers). Null: none known.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('phone_numbers').addColumn('name_rejection_reason', 'text').execute();
}
