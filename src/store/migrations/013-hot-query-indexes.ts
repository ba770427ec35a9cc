import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the queries that ran over whole tables (docs/PERFORMANCE.md, "Indexes"; the plans are
 * checked on both engines by store/hot-query-plans.test.ts):
 *
 * - The reconciler's usual pass asks which spaces have a number in transition (SpacesRepo
 *   .listInTransition), and then which numbers of a space (IN_TRANSITION): without an index both read
 *   every number. A partial index holds only the numbers in transition, a few per space at any time.
 *   Its condition is phone-numbers-repo.ts `inTransition` word for word: SQLite uses a partial index
 *   only for a query whose WHERE contains the index's condition as written.
 * - The Graph client reads a space's own token by WABA on every call (SpacesRepo.graphTokenOf), and
 *   binding a WABA looks for its space (findByWaba): cust_spaces had no index on waba_id.
 *
 * Space listings (QueryChatappPhoneNumbers) need none: they page in (cust_space_id, e164) order, the
 * unique index's. An index on phone_numbers.upstream_id (the Graph client's WABA of a number it has not
 * seen since the start) is left out on purpose: every Add would write it twice (the intent, then the
 * upstream ID), for a lookup made once per number and process.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX phone_numbers_in_transition ON phone_numbers (cust_space_id) WHERE (name_status = 'Pending_Review' or new_name_status = 'Pending_Review' or (code_verification_status = 'VERIFIED' and status != 'CONNECTED'))`.execute(
    db,
  );
  await db.schema.createIndex('cust_spaces_waba').on('cust_spaces').columns(['waba_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('cust_spaces_waba').execute();
  await db.schema.dropIndex('phone_numbers_in_transition').execute();
}
