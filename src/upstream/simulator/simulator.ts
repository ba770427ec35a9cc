import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import { prepared, type Arg, TableCache } from '../../store/index.js';
import type { SimulatorTables, SimPhoneNumbersTable } from './tables.js';
import type {
  BusinessProfile,
  CreatePhoneNumberInput,
  RequestCodeInput,
  UpstreamPhoneNumber,
  UpstreamWaba,
  WhatsAppProvider,
} from '../provider.js';
import { GRAPH_ERRORS, graphError, invalidParameter, unknownObject } from './errors.js';
import { checkFaultSpec, faultRow, takeFault, toFault, type Fault, type FaultSpec } from './faults.js';
import { initialState, phoneNumberView, scheduledChanges, type NumberState } from './lifecycle.js';
import { sequentialId, simulatedId, templateNamespace } from './ids.js';
import type { NameReview } from './name-review.js';
import { resolveOptions, type SimulatorOptions, type SimulatorOptionsInput } from './options.js';
import {
  insertOutbox,
  latestCode,
  listOutbox,
  markCodeUsed,
  type OutboxFilter,
  type OutboxMessage,
} from './outbox.js';
import { applyProfilePatch, checkProfilePatch } from './profile.js';
import { loadProfile, saveProfile } from './profile-store.js';
import { decideDeregister, decideRegister, type Decision } from './registration.js';
import * as store from './state-store.js';
import { checkRequestCode, checkVerifyCode, verificationCode } from './verification.js';

type Operation = Parameters<typeof takeFault>[1];

const WABA_NAME = prepared((db: Kysely<SimulatorTables>, arg: Arg<{ id: string }>) =>
  db.selectFrom('sim_wabas').select('name').where('id', '=', arg('id')),
);
const WABA_EXISTS = prepared((db: Kysely<SimulatorTables>, arg: Arg<{ id: string }>) =>
  db.selectFrom('sim_wabas').select('id').where('id', '=', arg('id')),
);
const NUMBER_OF_WABA = prepared((db: Kysely<SimulatorTables>, arg: Arg<{ wabaId: string; e164: string }>) =>
  db
    .selectFrom('sim_phone_numbers')
    .select('id')
    .where('waba_id', '=', arg('wabaId'))
    .where('e164', '=', arg('e164')),
);
// Every column, checked by the compiler.
const NUMBER_COLUMNS = Object.keys({
  id: 1,
  waba_id: 1,
  cc: 1,
  phone_number: 1,
  e164: 1,
  verified_name: 1,
  status: 1,
  code_verification_status: 1,
  name_status: 1,
  quality_rating: 1,
  messaging_limit_tier: 1,
  platform_type: 1,
  created_at: 1,
} satisfies Record<keyof SimPhoneNumbersTable, 1>) as Array<keyof SimPhoneNumbersTable>;
const INSERT_NUMBER = prepared((db: Kysely<SimulatorTables>, arg: Arg<SimPhoneNumbersTable>) => {
  const row: Record<string, unknown> = {};
  for (const column of NUMBER_COLUMNS) row[column] = arg(column);
  return db.insertInto('sim_phone_numbers').values(row as unknown as SimPhoneNumbersTable);
});
const COUNT_FAULTS = prepared((db: Kysely<SimulatorTables>) =>
  db.selectFrom('sim_faults').select((eb) => eb.fn.countAll<number | string>().as('count')),
);
const PIN = /^\d{6}$/;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The embedded simulator of Meta's WhatsApp Business Management API (whatsapp-upstream.md §1.13). State lives
 * in the store (sim_* tables), IDs and codes are deterministic for the seed, and time is the injected clock
 * plus a persisted offset an operator can move forward from another process (advanceClock), so request
 * signatures keep real time while lifecycle rules (code and verification expiry, name review, the 72-hour
 * register window) can be reached instantly. Time-based transitions are derived when read (lifecycle.ts).
 *
 * Known limitations: no display-name change flow (new_name_status is always NONE), no pre-verified or
 * migrated numbers, no webhooks, no per-portfolio cap (each WABA is its own portfolio), no request_code
 * throttle (inject 100/2388004 instead).
 */
export class WhatsAppSimulator implements WhatsAppProvider {
  readonly readsAreLocal = true;
  readonly options: SimulatorOptions;
  readonly #db: Kysely<SimulatorTables>;
  readonly #clock: Clock;
  // Read by every call; on the embedded store both are served from memory until they change.
  readonly #offset: TableCache<number>;
  readonly #faultCount: TableCache<number>;
  /** WABAs known to exist (each Add checks its WABA). */
  readonly #wabas: TableCache<true>;

  constructor(db: Kysely<SimulatorTables>, options: string | SimulatorOptionsInput, clock: Clock) {
    this.#db = db;
    this.options = resolveOptions(options);
    this.#clock = clock;
    this.#offset = new TableCache(db, ['sim_clock'], { maxEntries: 1, fallbackTtlMs: 0 });
    this.#faultCount = new TableCache(db, ['sim_faults'], { maxEntries: 1, fallbackTtlMs: 0 });
    this.#wabas = new TableCache(db, ['sim_wabas'], { maxEntries: 20_000, fallbackTtlMs: 0 });
  }

  /** The injected fault for this call, if any (faults.ts); no transaction when none is armed. */
  async #takeFault(operation: Operation, scope: Parameters<typeof takeFault>[2]) {
    const armed = await this.#faultCount.get('all', async () =>
      Number((await COUNT_FAULTS.first(this.#db, {}))?.count ?? 0),
    );
    return armed === 0 ? undefined : takeFault(this.#db, operation, scope);
  }

  // ---- simulator time -------------------------------------------------------------------------------

  /** Simulator time: the injected clock plus the persisted offset. */
  async now(): Promise<number> {
    return this.#clock.now() + (await this.clockOffset());
  }

  async clockOffset(): Promise<number> {
    return (await this.#offset.get('offset', () => store.readOffset(this.#db))) ?? 0;
  }

  /** Moves simulator time forward (never back, so recorded events stay in the past); the new offset. */
  async advanceClock(ms: number): Promise<number> {
    if (!Number.isSafeInteger(ms) || ms < 0) {
      throw new RangeError(`advanceClock takes a whole number of milliseconds >= 0, got ${ms}`);
    }
    return this.#db.transaction().execute(async (trx) => {
      const offset = (await store.readOffset(trx)) + ms;
      await store.writeOffset(trx, offset);
      return offset;
    });
  }

  // ---- WABAs -----------------------------------------------------------------------------------------

  /** Simulator-only: a WABA to bind a customer space to, with a generated ID unless one is given. */
  async createWaba(name: string, fixedId?: string): Promise<string> {
    if (fixedId !== undefined) {
      const existing = await this.#db
        .selectFrom('sim_wabas')
        .select('id')
        .where('id', '=', fixedId)
        .executeTakeFirst();
      if (existing !== undefined) return fixedId;
    }
    const now = await this.now();
    return this.#db.transaction().execute(async (trx) => {
      const id = fixedId ?? simulatedId(this.options.seed, 'waba', await store.nextCounter(trx, 'waba'));
      await trx
        .insertInto('sim_wabas')
        .values({ id, name, created_at: iso(now) })
        .execute();
      return id;
    });
  }

  async #waba(operation: Operation, wabaId: string, method: 'get' | 'post'): Promise<{ name: string }> {
    const fault = await this.#takeFault(operation, { wabaId });
    if (fault !== undefined) throw fault;
    const waba = await WABA_NAME.first(this.#db, { id: wabaId });
    if (waba === undefined) throw unknownObject(wabaId, method);
    return waba;
  }

  /**
   * `GET /{waba-id}`. Each simulated WABA is APPROVED, bills in USD and belongs to its own business portfolio
   * of the same name, so the per-WABA number cap is also the portfolio's (whatsapp-upstream.md §1.8).
   */
  async getWaba(wabaId: string): Promise<UpstreamWaba> {
    const waba = await this.#waba('getWaba', wabaId, 'get');
    return {
      id: wabaId,
      name: waba.name,
      currency: 'USD',
      accountReviewStatus: 'APPROVED',
      messageTemplateNamespace: templateNamespace(this.options.seed, wabaId),
      businessId: simulatedId(this.options.seed, 'business', wabaId),
      businessName: waba.name,
    };
  }

  // ---- phone numbers ---------------------------------------------------------------------------------

  /** Injected fault first (scoped by what is known of the number), then Meta's 100/33 for an unknown ID. */
  async #number(operation: Operation, id: string, method: 'get' | 'post'): Promise<store.StoredNumber> {
    const found = await store.loadNumber(this.#db, id, this.options);
    const scope =
      found === undefined
        ? { phoneNumberId: id }
        : { phoneNumberId: id, e164: found.row.e164, wabaId: found.row.waba_id };
    const fault = await this.#takeFault(operation, scope);
    if (fault !== undefined) throw fault;
    if (found === undefined) throw unknownObject(id, method);
    return found;
  }

  async #view(n: store.StoredNumber): Promise<UpstreamPhoneNumber> {
    return phoneNumberView(n.row, n.state, await this.now(), this.options);
  }

  /**
   * `POST /{waba-id}/phone_numbers` (whatsapp-upstream.md §1.3): PENDING, NOT_VERIFIED, name PENDING_REVIEW,
   * NOT_APPLICABLE.
   */
  async createPhoneNumber(wabaId: string, input: CreatePhoneNumberInput): Promise<UpstreamPhoneNumber> {
    const e164 = `${input.cc}${input.phoneNumber}`;
    const fault = await this.#takeFault('createPhoneNumber', { wabaId, e164 });
    if (fault !== undefined) throw fault;
    const waba = await this.#wabas.get(wabaId, async () =>
      (await WABA_EXISTS.first(this.#db, { id: wabaId })) === undefined ? undefined : true,
    );
    if (waba === undefined) throw unknownObject(wabaId, 'post');
    const now = await this.now();
    const created = await this.#db.transaction().execute(async (trx) => {
      const existing = await NUMBER_OF_WABA.first(trx, { wabaId, e164 });
      if (existing !== undefined) return undefined;
      const row: SimPhoneNumbersTable = {
        id: sequentialId(this.options.seed, 'phone_number', await store.nextCounter(trx, 'phone_number')),
        waba_id: wabaId,
        cc: input.cc,
        phone_number: input.phoneNumber,
        e164,
        verified_name: input.verifiedName,
        status: 'PENDING',
        code_verification_status: 'NOT_VERIFIED',
        name_status: 'PENDING_REVIEW',
        quality_rating: 'UNKNOWN',
        messaging_limit_tier: 'TIER_250',
        platform_type: 'NOT_APPLICABLE',
        created_at: iso(now),
      };
      await INSERT_NUMBER.changed(trx, row);
      const state = initialState(now, this.options);
      await store.saveState(trx, row.id, state);
      return { row, state };
    });
    if (created === undefined) {
      // Meta's create-edge error 200000 (whatsapp-upstream.md §1.3).
      throw graphError(GRAPH_ERRORS.cannotAddNumber, {
        userMessage: 'This phone number is already on this WhatsApp Business Account.',
      });
    }
    return this.#view(created);
  }

  async listPhoneNumbers(wabaId: string): Promise<UpstreamPhoneNumber[]> {
    await this.#waba('listPhoneNumbers', wabaId, 'get');
    const now = await this.now();
    const numbers = await store.loadNumbers(this.#db, wabaId, this.options);
    return numbers.map((n) => phoneNumberView(n.row, n.state, now, this.options));
  }

  async getPhoneNumber(phoneNumberId: string): Promise<UpstreamPhoneNumber> {
    return this.#view(await this.#number('getPhoneNumber', phoneNumberId, 'get'));
  }

  // ---- verification (whatsapp-upstream.md §1.5) ------------------------------------------------------

  /** Sends the next deterministic code to the outbox; it verifies once, until codeTtlMs has passed. */
  async requestCode(phoneNumberId: string, input: RequestCodeInput): Promise<void> {
    const n = await this.#number('requestCode', phoneNumberId, 'post');
    const invalid = checkRequestCode(input.method, input.language);
    if (invalid !== undefined) throw invalid;
    const now = await this.now();
    await this.#db.transaction().execute(async (trx) => {
      const count = await store.nextCounter(trx, `otp:${phoneNumberId}`);
      const seq = await store.nextCounter(trx, 'outbox');
      await insertOutbox(trx, {
        id: `otp-${seq}`,
        seq,
        phone_number_id: phoneNumberId,
        e164: n.row.e164,
        method: input.method,
        language: input.language,
        code: verificationCode(this.options.seed, phoneNumberId, count),
        sent_at: iso(now),
        expires_at: iso(now + this.options.codeTtlMs),
        used_at: null,
      });
    });
  }

  async verifyCode(phoneNumberId: string, code: string): Promise<void> {
    await this.#number('verifyCode', phoneNumberId, 'post');
    const now = await this.now();
    const error = await this.#db.transaction().execute(async (trx) => {
      const latest = await latestCode(trx, phoneNumberId);
      const failure = checkVerifyCode(latest, code, now);
      if (failure !== undefined) return failure;
      if (latest !== undefined) await markCodeUsed(trx, latest.id, now);
      await this.#update(trx, phoneNumberId, (s) => ({ ...s, verifiedAt: now }));
      return undefined;
    });
    if (error !== undefined) throw error;
  }

  // ---- registration (whatsapp-upstream.md §1.6) ------------------------------------------------------

  async register(phoneNumberId: string, pin: string): Promise<void> {
    await this.#number('register', phoneNumberId, 'post');
    if (!PIN.test(pin)) throw invalidParameter('Param pin must be a 6-digit two-step verification PIN');
    await this.#decide(phoneNumberId, 'register', async (trx, n, now) =>
      decideRegister({
        state: n.state,
        calls: await store.registrationCalls(trx, phoneNumberId),
        now,
        pin,
        verifiedName: n.row.verified_name,
        wabaId: n.row.waba_id,
        otherRegistered: await store.countRegistered(trx, n.row.waba_id, phoneNumberId),
        options: this.options,
      }),
    );
  }

  async deregister(phoneNumberId: string): Promise<void> {
    await this.#number('deregister', phoneNumberId, 'post');
    await this.#decide(phoneNumberId, 'deregister', async (trx, n, now) =>
      decideDeregister({
        state: n.state,
        calls: await store.registrationCalls(trx, phoneNumberId),
        now,
        phoneNumberId,
        options: this.options,
      }),
    );
  }

  /** Runs a pure decision in one transaction, persists its state (failures change it too), then throws. */
  async #decide(
    phoneNumberId: string,
    kind: 'register' | 'deregister',
    decide: (trx: Kysely<SimulatorTables>, n: store.StoredNumber, now: number) => Promise<Decision>,
  ): Promise<void> {
    const now = await this.now();
    const decision = await this.#db.transaction().execute(async (trx) => {
      const n = await store.loadNumber(trx, phoneNumberId, this.options);
      if (n === undefined) return { error: unknownObject(phoneNumberId, 'post') };
      const outcome = await decide(trx, n, now);
      await store.saveState(trx, phoneNumberId, outcome.state);
      if (outcome.counted) await store.recordCall(trx, phoneNumberId, kind, now);
      return outcome;
    });
    if (decision.error !== undefined) throw decision.error;
  }

  async #update(
    db: Kysely<SimulatorTables>,
    id: string,
    change: (s: NumberState) => NumberState,
  ): Promise<void> {
    const n = await store.loadNumber(db, id, this.options);
    if (n === undefined) throw unknownObject(id, 'post');
    await store.saveState(db, id, change(n.state));
  }

  // ---- business profile ------------------------------------------------------------------------------

  async getBusinessProfile(phoneNumberId: string): Promise<BusinessProfile> {
    await this.#number('getBusinessProfile', phoneNumberId, 'get');
    return loadProfile(this.#db, phoneNumberId);
  }

  async updateBusinessProfile(phoneNumberId: string, patch: Partial<BusinessProfile>): Promise<void> {
    await this.#number('updateBusinessProfile', phoneNumberId, 'post');
    const invalid = checkProfilePatch(patch);
    if (invalid !== undefined) throw invalid;
    await this.#db.transaction().execute(async (trx) => {
      await saveProfile(trx, phoneNumberId, applyProfilePatch(await loadProfile(trx, phoneNumberId), patch));
    });
  }

  // ---- operator controls -----------------------------------------------------------------------------

  /** The codes request_code "sent", oldest first. */
  listOutbox(filter?: OutboxFilter): Promise<OutboxMessage[]> {
    return listOutbox(this.#db, filter);
  }

  /** The next matching call (or `times` calls, or every call) fails with the given error. */
  async injectFault(spec: FaultSpec): Promise<Fault> {
    checkFaultSpec(spec);
    const now = await this.now();
    const row = await this.#db.transaction().execute(async (trx) => {
      const seq = await store.nextCounter(trx, 'fault');
      const values = faultRow(`fault-${seq}`, seq, spec, iso(now));
      await trx.insertInto('sim_faults').values(values).execute();
      return values;
    });
    return toFault(row);
  }

  async listFaults(): Promise<Fault[]> {
    const rows = await this.#db.selectFrom('sim_faults').selectAll().orderBy('seq').execute();
    return rows.map(toFault);
  }

  /** Removes every fault, or the one with the given ID; how many were removed. */
  async clearFaults(id?: string): Promise<number> {
    let query = this.#db.deleteFrom('sim_faults');
    if (id !== undefined) query = query.where('id', '=', id);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * "The PIN was changed upstream" (e.g. in WhatsApp Manager, whatsapp-upstream.md §1.6): the next register
   * must present it.
   */
  async setUpstreamPin(phoneNumberId: string, pin: string): Promise<void> {
    if (!PIN.test(pin)) throw new RangeError(`a two-step verification PIN is 6 digits, got "${pin}"`);
    await this.#update(this.#db, phoneNumberId, (s) => ({
      ...s,
      pin,
      pinFailures: 0,
      lastPinFailureAt: undefined,
    }));
  }

  /** Decides the display-name review now, overriding the rules; undefined returns to the rule-based review. */
  async setNameReview(phoneNumberId: string, review: NameReview | undefined): Promise<void> {
    const now = await this.now();
    // A decision takes effect now: the review's instant moves here, so readers that keep to the
    // schedule (scheduledChanges) see it.
    await this.#update(this.#db, phoneNumberId, (s) =>
      review === undefined
        ? { ...s, nameOverride: undefined }
        : { ...s, nameOverride: review, nameReviewDueAt: now },
    );
  }

  /** WhatsAppProvider.scheduledChanges: the instants of scheduledChanges (lifecycle.ts), per number. */
  async scheduledChanges(phoneNumberIds: readonly string[]): Promise<Map<string, number[]>> {
    const numbers = await store.loadNumbersByIds(this.#db, phoneNumberIds, this.options);
    return new Map(numbers.map((n) => [n.row.id, scheduledChanges(n.state, this.options)]));
  }
}
