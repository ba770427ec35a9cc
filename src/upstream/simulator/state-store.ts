import type { Kysely } from 'kysely';
import { prepared, type Arg } from '../../store/index.js';
import type { SimulatorTables, SimNumberStatesTable, SimPhoneNumbersTable } from './tables.js';
import type { NameRejectionReason } from './name-review.js';
import { initialState, type NumberState } from './lifecycle.js';
import type { SimulatorOptions } from './options.js';

/** Persistence of the simulator's lifecycle state (sim_* tables of migration 002). */

const ms = (iso: string | null): number | undefined => (iso === null ? undefined : Date.parse(iso));
const iso = (value: number | undefined): string | null =>
  value === undefined ? null : new Date(value).toISOString();

function toState(r: SimNumberStatesTable): NumberState {
  return {
    verifiedAt: ms(r.verified_at),
    pin: r.pin ?? undefined,
    pinFailures: r.pin_failures,
    lastPinFailureAt: ms(r.last_pin_failure_at),
    registeredAt: ms(r.registered_at),
    deregisteredAt: ms(r.deregistered_at),
    registerBlockedUntil: ms(r.register_blocked_until),
    deregisterBlockedUntil: ms(r.deregister_blocked_until),
    nameReviewDueAt: Date.parse(r.name_review_due_at),
    ...(r.name_decision === 'APPROVED' || r.name_decision === 'DECLINED'
      ? {
          nameOverride: {
            decision: r.name_decision,
            explanation: r.name_explanation ?? '',
            ...(r.name_rejection_reason === null
              ? {}
              : { reason: r.name_rejection_reason as NameRejectionReason }),
          },
        }
      : {}),
  };
}

function toRow(phoneNumberId: string, s: NumberState): SimNumberStatesTable {
  return {
    phone_number_id: phoneNumberId,
    verified_at: iso(s.verifiedAt),
    pin: s.pin ?? null,
    pin_failures: s.pinFailures,
    last_pin_failure_at: iso(s.lastPinFailureAt),
    registered_at: iso(s.registeredAt),
    deregistered_at: iso(s.deregisteredAt),
    register_blocked_until: iso(s.registerBlockedUntil),
    deregister_blocked_until: iso(s.deregisterBlockedUntil),
    name_review_due_at: new Date(s.nameReviewDueAt).toISOString(),
    name_decision: s.nameOverride?.decision ?? null,
    name_rejection_reason: s.nameOverride?.reason ?? null,
    name_explanation: s.nameOverride?.explanation ?? null,
  };
}

export interface StoredNumber {
  row: SimPhoneNumbersTable;
  state: NumberState;
}

/** A number without a state row (created before migration 002) starts from its creation time. */
const withState = (
  row: SimPhoneNumbersTable,
  state: SimNumberStatesTable | undefined,
  options: SimulatorOptions,
): StoredNumber => ({
  row,
  state: state === undefined ? initialState(Date.parse(row.created_at), options) : toState(state),
});

export async function loadNumber(
  db: Kysely<SimulatorTables>,
  id: string,
  options: SimulatorOptions,
): Promise<StoredNumber | undefined> {
  const row = await db.selectFrom('sim_phone_numbers').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  const state = await db
    .selectFrom('sim_number_states')
    .selectAll()
    .where('phone_number_id', '=', id)
    .executeTakeFirst();
  return withState(row, state, options);
}

const NUMBERS_OF_WABA = prepared((db: Kysely<SimulatorTables>, arg: Arg<{ wabaId: string }>) =>
  db
    .selectFrom('sim_phone_numbers')
    .selectAll()
    .where('waba_id', '=', arg('wabaId'))
    .orderBy('created_at')
    .orderBy('id'),
);
const STATES_OF_WABA = prepared((db: Kysely<SimulatorTables>, arg: Arg<{ wabaId: string }>) =>
  db
    .selectFrom('sim_number_states as s')
    .innerJoin('sim_phone_numbers as n', 'n.id', 's.phone_number_id')
    .selectAll('s')
    .where('n.waba_id', '=', arg('wabaId')),
);

export async function loadNumbers(
  db: Kysely<SimulatorTables>,
  wabaId: string,
  options: SimulatorOptions,
): Promise<StoredNumber[]> {
  const rows = await NUMBERS_OF_WABA.rows(db, { wabaId });
  if (rows.length === 0) return [];
  const states = await STATES_OF_WABA.rows(db, { wabaId });
  const byId = new Map(states.map((s) => [s.phone_number_id, s]));
  return rows.map((row) => withState(row, byId.get(row.id), options));
}

/** The numbers of these IDs that exist (any order), in two statements per 500 IDs. */
export async function loadNumbersByIds(
  db: Kysely<SimulatorTables>,
  ids: readonly string[],
  options: SimulatorOptions,
): Promise<StoredNumber[]> {
  const found: StoredNumber[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db.selectFrom('sim_phone_numbers').selectAll().where('id', 'in', chunk).execute();
    if (rows.length === 0) continue;
    const states = await db
      .selectFrom('sim_number_states')
      .selectAll()
      .where('phone_number_id', 'in', chunk)
      .execute();
    const byId = new Map(states.map((s) => [s.phone_number_id, s]));
    for (const row of rows) found.push(withState(row, byId.get(row.id), options));
  }
  return found;
}

const STATE_COLUMNS = Object.keys(toRow('', { pinFailures: 0, nameReviewDueAt: 0 })) as Array<
  keyof SimNumberStatesTable
>;

const SAVE_STATE = prepared((db: Kysely<SimulatorTables>, arg: Arg<SimNumberStatesTable>) => {
  const row: Record<string, unknown> = {};
  for (const column of STATE_COLUMNS) row[column] = arg(column);
  const { phone_number_id: _id, ...update } = row;
  return db
    .insertInto('sim_number_states')
    .values(row as unknown as SimNumberStatesTable)
    .onConflict((oc) => oc.column('phone_number_id').doUpdateSet(update));
});

export async function saveState(
  db: Kysely<SimulatorTables>,
  phoneNumberId: string,
  state: NumberState,
): Promise<void> {
  await SAVE_STATE.changed(db, toRow(phoneNumberId, state));
}

/** Registered numbers of a WABA other than `exceptId` (the per-WABA cap, whatsapp-upstream.md §1.8). */
export async function countRegistered(
  db: Kysely<SimulatorTables>,
  wabaId: string,
  exceptId: string,
): Promise<number> {
  const row = await db
    .selectFrom('sim_number_states as s')
    .innerJoin('sim_phone_numbers as n', 'n.id', 's.phone_number_id')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('n.waba_id', '=', wabaId)
    .where('s.registered_at', 'is not', null)
    .where('n.id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The counted register/deregister requests of a number, oldest first (the 72-hour windows,
 * whatsapp-upstream.md §1.6).
 */
export async function registrationCalls(
  db: Kysely<SimulatorTables>,
  phoneNumberId: string,
): Promise<Array<{ kind: 'register' | 'deregister'; at: number }>> {
  const rows = await db
    .selectFrom('sim_registration_calls')
    .select(['kind', 'at'])
    .where('phone_number_id', '=', phoneNumberId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ kind: r.kind, at: Date.parse(r.at) }));
}

export async function recordCall(
  db: Kysely<SimulatorTables>,
  phoneNumberId: string,
  kind: 'register' | 'deregister',
  at: number,
): Promise<void> {
  const last = await db
    .selectFrom('sim_registration_calls')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('phone_number_id', '=', phoneNumberId)
    .executeTakeFirst();
  await db
    .insertInto('sim_registration_calls')
    .values({
      phone_number_id: phoneNumberId,
      seq: Number(last?.seq ?? 0) + 1,
      kind,
      at: new Date(at).toISOString(),
    })
    .execute();
}

/** The next value of a named counter (1, 2, ...): the source of deterministic IDs and codes. */
// One atomic upsert, not read-then-write: on PostgreSQL concurrent transactions (several connections, or
// several instances sharing the database) would otherwise read the same value and hand out the same ID.
const NEXT_COUNTER = prepared((db: Kysely<SimulatorTables>, arg: Arg<{ name: string }>) =>
  db
    .insertInto('sim_counters')
    .values({ name: arg('name'), value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('sim_counters.value', '+', 1) })))
    .returning('value'),
);

export async function nextCounter(db: Kysely<SimulatorTables>, name: string): Promise<number> {
  const row = await NEXT_COUNTER.first(db, { name });
  if (row === undefined) throw new Error(`counter ${name} was not returned`);
  return row.value;
}

const OFFSET = 'offset';

/** The persisted simulator time offset, shared with an operator CLI in another process. */
export async function readOffset(db: Kysely<SimulatorTables>): Promise<number> {
  const row = await db
    .selectFrom('sim_clock')
    .select('offset_ms')
    .where('name', '=', OFFSET)
    .executeTakeFirst();
  return row === undefined ? 0 : Number(row.offset_ms);
}

export async function writeOffset(db: Kysely<SimulatorTables>, offsetMs: number): Promise<void> {
  await db
    .insertInto('sim_clock')
    .values({ name: OFFSET, offset_ms: String(offsetMs) })
    .onConflict((oc) => oc.column('name').doUpdateSet({ offset_ms: String(offsetMs) }))
    .execute();
}
