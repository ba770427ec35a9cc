import type { Kysely } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Clock } from '../../clock.js';
import type { Database, SimPhoneNumbersTable } from '../../store/schema.js';
import {
  UpstreamError,
  type CreatePhoneNumberInput,
  type UpstreamPhoneNumber,
  type WhatsAppProvider,
} from '../provider.js';
import { simulatedId } from './ids.js';

const toUpstream = (r: SimPhoneNumbersTable): UpstreamPhoneNumber => ({
  id: r.id,
  wabaId: r.waba_id,
  cc: r.cc,
  phoneNumber: r.phone_number,
  e164: r.e164,
  displayPhoneNumber: parsePhoneNumberFromString(`+${r.e164}`)?.formatInternational() ?? `+${r.e164}`,
  verifiedName: r.verified_name,
  status: r.status,
  codeVerificationStatus: r.code_verification_status,
  nameStatus: r.name_status,
  qualityRating: r.quality_rating,
  messagingLimitTier: r.messaging_limit_tier,
  platformType: r.platform_type,
});

/** Meta's "Object with ID ... does not exist" (code 100, subcode 33; whatsapp-upstream.md §1.10). */
function unknownObject(id: string): UpstreamError {
  return new UpstreamError({
    message: `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    code: 100,
    subcode: 33,
    httpStatus: 400,
  });
}

/**
 * The embedded simulator of Meta's WhatsApp Business Management API. State lives in the store
 * (sim_* tables), IDs are deterministic for the configured seed. This first cut models create and
 * list (whatsapp-upstream.md §1.3, §1.4): a created number is PENDING, NOT_VERIFIED, its name
 * PENDING_REVIEW, quality UNKNOWN, not yet on a platform.
 */
export class WhatsAppSimulator implements WhatsAppProvider {
  readonly kind = 'simulator' as const;
  readonly #db: Kysely<Database>;
  readonly #seed: string;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, seed: string, clock: Clock) {
    this.#db = db;
    this.#seed = seed;
    this.#clock = clock;
  }

  async #nextId(kind: string): Promise<string> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('sim_counters')
        .select('value')
        .where('name', '=', kind)
        .executeTakeFirst();
      const n = (row?.value ?? 0) + 1;
      await trx
        .insertInto('sim_counters')
        .values({ name: kind, value: n })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: n }))
        .execute();
      return simulatedId(this.#seed, kind, n);
    });
  }

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
    const id = fixedId ?? (await this.#nextId('waba'));
    await this.#db
      .insertInto('sim_wabas')
      .values({ id, name, created_at: new Date(this.#clock.now()).toISOString() })
      .execute();
    return id;
  }

  async #requireWaba(wabaId: string): Promise<void> {
    const waba = await this.#db
      .selectFrom('sim_wabas')
      .select('id')
      .where('id', '=', wabaId)
      .executeTakeFirst();
    if (waba === undefined) throw unknownObject(wabaId);
  }

  async createPhoneNumber(wabaId: string, input: CreatePhoneNumberInput): Promise<UpstreamPhoneNumber> {
    await this.#requireWaba(wabaId);
    const e164 = `${input.cc}${input.phoneNumber}`;
    const existing = await this.#db
      .selectFrom('sim_phone_numbers')
      .select('id')
      .where('waba_id', '=', wabaId)
      .where('e164', '=', e164)
      .executeTakeFirst();
    if (existing !== undefined) {
      // Meta's create-edge error 200000 (whatsapp-upstream.md §1.3).
      throw new UpstreamError({
        message: 'Cannot add phone number to WhatsApp Business Account',
        code: 200000,
        httpStatus: 400,
        userMessage: 'This phone number is already on this WhatsApp Business Account.',
      });
    }
    const row: SimPhoneNumbersTable = {
      id: await this.#nextId('phone_number'),
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
      created_at: new Date(this.#clock.now()).toISOString(),
    };
    await this.#db.insertInto('sim_phone_numbers').values(row).execute();
    return toUpstream(row);
  }

  async listPhoneNumbers(wabaId: string): Promise<UpstreamPhoneNumber[]> {
    await this.#requireWaba(wabaId);
    const rows = await this.#db
      .selectFrom('sim_phone_numbers')
      .selectAll()
      .where('waba_id', '=', wabaId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toUpstream);
  }
}
