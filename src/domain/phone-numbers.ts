import type { Clock } from '../clock.js';
import { fail } from '../errors/index.js';
import type {
  CustSpace,
  PageRequest,
  PhoneNumberPage,
  PhoneNumberPatch,
  PhoneNumberRecord,
} from '../store/records.js';
import type { PhoneNumbersRepository, SpacesRepository } from '../store/repositories.js';
import type { UpstreamPhoneNumber, WhatsAppProvider } from '../upstream/provider.js';
import { KeyedMutex } from './keyed-mutex.js';
import { checkVerifiedName, type NormalizedNumber } from './phone-number.js';
import {
  changedFields,
  definedOnly,
  newPhoneNumberRecord,
  patchFromUpstream,
  WATCHED,
} from './number-state.js';
import type { ChangeListener } from './phone-number-events.js';
import { DueChanges } from './fresh-reads.js';
import { definitiveRefusal, upstream, upstreamFailure } from './upstream-errors.js';

/**
 * An intent's lease, by default: longer than the upstream create may take (one attempt within the
 * Graph client's timeout, 10 s by default; main.ts lengthens it for a longer timeout). While it runs,
 * the Add that recorded or claimed the intent may still be creating the number upstream, and any other
 * Add of the number answers PhoneNumber.Exists; once it lapses (an Add cut by a crash), the next Add or
 * sync recovers the number.
 */
export const INTENT_LEASE_MS = 30_000;
/** A released intent: its Add has ended without knowing whether upstream created the number. */
const RELEASED = new Date(0).toISOString();

const beingAdded = (e164: string, spaceId: string) =>
  fail(
    'PhoneNumber.Exists',
    `The phone number ${e164} is being added to customer space ${spaceId} by another request.`,
  );

export interface AddPhoneNumberInput {
  custSpaceId: string;
  /** The number to add, already split and validated (normalizePhoneNumber) by the caller's edge. */
  number: NormalizedNumber;
  verifiedName: string;
}

export interface PhoneNumberDeps {
  spaces: SpacesRepository;
  numbers: PhoneNumbersRepository;
  upstream: WhatsAppProvider;
  clock: Clock;
  /** Told about every persisted change of a watched field (webhooks). */
  onChange?: ChangeListener;
  /** The lease of an Add's intent (INTENT_LEASE_MS by default). */
  intentLeaseMs?: number;
}

/** A number located in its space, the unit every lifecycle action works on. */
export interface LocatedNumber {
  space: CustSpace;
  record: PhoneNumberRecord;
}

/** Phone numbers of customer spaces: the rules between the CAMS actions and the store/upstream. */
export class PhoneNumberService {
  readonly #deps: PhoneNumberDeps;
  readonly #mutex = new KeyedMutex();
  readonly #due: DueChanges;

  constructor(deps: PhoneNumberDeps) {
    this.#deps = deps;
    this.#due = new DueChanges(deps.upstream);
  }

  /** Tenant check shared by every action: absent and foreign spaces are indistinguishable. */
  async space(accountId: string, custSpaceId: string): Promise<CustSpace> {
    const space = await this.#deps.spaces.get(accountId, custSpaceId);
    if (space === undefined) throw fail('Unknown.ResourceOwnerId');
    return space;
  }

  /**
   * AddChatappPhoneNumber: validate, refuse a number the space already has, record the intent, create
   * the number on the space's WABA upstream, then store what upstream reports.
   *
   * The intent (a local row without an upstream ID, invisible to queries) is written before the upstream
   * call, so a failure or a crash between the two leaves a trace: the next Add of the number, or
   * ChatappSyncPhoneNumber, finds the number upstream and adopts it instead of creating it twice
   * (whatsapp-upstream.md §2.2). A definitive refusal by upstream removes the intent; any other failure
   * releases it.
   *
   * Only the Add holding an intent's lease creates the number: another instance's Add of the same number
   * that finds the intent adopts the number if upstream already has it, and otherwise answers
   * PhoneNumber.Exists while the lease runs (the first Add may be creating it at this moment). An intent
   * whose lease has lapsed (its instance died) is claimed by the next Add, atomically.
   */
  async add(accountId: string, input: AddPhoneNumberInput): Promise<PhoneNumberRecord> {
    const space = await this.space(accountId, input.custSpaceId);
    const number = input.number;
    const verifiedName = checkVerifiedName(input.verifiedName);
    return this.#mutex.run(`${space.id}:${number.e164}`, async () => {
      // The intent is recorded unless the space has the number already: one statement on the usual path.
      const intent = newPhoneNumberRecord({
        accountId,
        custSpaceId: space.id,
        cc: number.cc,
        nationalNumber: number.nationalNumber,
        verifiedName,
        nowIso: new Date(this.#deps.clock.now()).toISOString(),
      });
      if (await this.#deps.numbers.insertUnlessExists(accountId, intent)) {
        return this.#create(accountId, { space, record: intent }, number, verifiedName);
      }
      const existing = await this.#deps.numbers.find(accountId, space.id, number.e164);
      // Absent: another instance removed its intent between the two statements (its Add was refused).
      if (existing === undefined || existing.upstreamId !== '') {
        throw fail(
          'PhoneNumber.Exists',
          `The phone number ${number.e164} already exists in customer space ${space.id}.`,
        );
      }
      // Another Add (on another instance: this one holds the mutex) holds the intent's lease: it may be
      // creating the number at this moment, or have created it and not yet stored it. Exactly one Add
      // answers OK; this one is told why it did not.
      if (this.#leased(existing)) throw beingAdded(existing.e164, space.id);
      const located = { space, record: existing };
      const remote = await upstream(() => this.#deps.upstream.listPhoneNumbers(space.wabaId));
      const found = remote.find((u) => u.e164 === number.e164);
      if (found !== undefined) return this.apply(accountId, located, patchFromUpstream(found));
      await this.#claim(accountId, space, existing);
      return this.#create(accountId, located, number, verifiedName);
    });
  }

  /** Creates the number of an intent this Add holds upstream, then stores what upstream reports. */
  async #create(
    accountId: string,
    located: LocatedNumber,
    number: NormalizedNumber,
    verifiedName: string,
  ): Promise<PhoneNumberRecord> {
    let created: UpstreamPhoneNumber;
    try {
      created = await this.#deps.upstream.createPhoneNumber(located.space.wabaId, {
        cc: number.cc,
        phoneNumber: number.nationalNumber,
        verifiedName,
      });
    } catch (error) {
      const intent = located.record;
      if (definitiveRefusal(error)) await this.#deps.numbers.delete(accountId, intent.id);
      else await this.#deps.numbers.releaseIntent(accountId, intent.id, RELEASED);
      throw upstreamFailure(error);
    }
    return this.apply(accountId, located, patchFromUpstream(created));
  }

  /** Takes over an intent whose lease has lapsed or was released; PhoneNumber.Exists while it runs. */
  async #claim(accountId: string, space: CustSpace, intent: PhoneNumberRecord): Promise<void> {
    const nowIso = new Date(this.#deps.clock.now()).toISOString();
    if (!(await this.#deps.numbers.claimIntent(accountId, intent.id, intent.updatedAt, nowIso))) {
      throw beingAdded(intent.e164, space.id);
    }
  }

  /** Whether an intent's lease still runs (its Add may still be creating the number upstream). */
  #leased(intent: PhoneNumberRecord): boolean {
    return (
      this.#deps.clock.now() - Date.parse(intent.updatedAt) <= (this.#deps.intentLeaseMs ?? INTENT_LEASE_MS)
    );
  }

  /**
   * Sync's half of the intent protocol: an intent whose number upstream has is adopted; one upstream
   * does not have is dropped once its lease has lapsed or was released (so an Add in flight on another
   * instance is left alone).
   */
  async resolveIntent(
    space: CustSpace,
    intent: PhoneNumberRecord,
    remote: UpstreamPhoneNumber[],
  ): Promise<void> {
    await this.#mutex.run(`${space.id}:${intent.e164}`, async () => {
      const found = remote.find((u) => u.e164 === intent.e164);
      if (found !== undefined) {
        await this.apply(space.accountId, { space, record: intent }, patchFromUpstream(found));
      } else if (!this.#leased(intent)) {
        await this.#deps.numbers.delete(space.accountId, intent.id);
      }
    });
  }

  /** The number `e164` (country code + number, digits only) of a space of the account. */
  async locate(accountId: string, custSpaceId: string, e164: string): Promise<LocatedNumber> {
    const space = await this.space(accountId, custSpaceId);
    const found = await this.#deps.numbers.find(accountId, space.id, e164);
    if (found === undefined || found.upstreamId === '') {
      throw fail(
        'PhoneNumber.NotFound',
        `The phone number ${e164} does not exist in customer space ${space.id}.`,
      );
    }
    const [record] = await this.#fresh(accountId, [found], undefined, space);
    return { space, record: record ?? found };
  }

  /** Serializes lifecycle operations on one number (register, PIN creation, refresh). */
  exclusive<T>(located: LocatedNumber, work: () => Promise<T>): Promise<T> {
    return this.#mutex.run(`${located.space.id}:${located.record.e164}`, work);
  }

  /**
   * Applies the upstream view (fetched unless given) to the local record, persists what changed and
   * announces changes of the watched fields. Returns the record as now stored.
   */
  async refresh(
    accountId: string,
    located: LocatedNumber,
    state?: UpstreamPhoneNumber,
  ): Promise<PhoneNumberRecord> {
    const upstreamState =
      state ?? (await upstream(() => this.#deps.upstream.getPhoneNumber(located.record.upstreamId)));
    return this.apply(accountId, located, patchFromUpstream(upstreamState));
  }

  /**
   * `refresh` under the number's mutex, against the record as stored at that moment: two refreshes of
   * one number (a read that found a decision due, the reconciler) announce a change once on an instance.
   * With `state` given and nothing changed against `located.record`, nothing is locked or read.
   */
  async refreshLatest(
    accountId: string,
    located: LocatedNumber,
    state?: UpstreamPhoneNumber,
  ): Promise<PhoneNumberRecord> {
    if (state !== undefined && changedFields(located.record, patchFromUpstream(state)).length === 0) {
      return located.record;
    }
    return this.exclusive(located, async () => {
      const { space, record } = located;
      const current = (await this.#deps.numbers.find(accountId, space.id, record.e164)) ?? record;
      return this.refresh(accountId, { space, record: current }, state);
    });
  }

  /**
   * The records of a read, with the upstream changes whose time has come applied first (persisted and
   * announced, as the reconciler would): with the embedded simulator a read never shows a display-name
   * decision or a lapse late (fresh-reads.ts). A refresh that fails leaves the stored record; a record
   * that no longer has the `status` asked for leaves the answer.
   */
  async #fresh(
    accountId: string,
    records: PhoneNumberRecord[],
    status: string | undefined,
    space?: CustSpace,
  ): Promise<PhoneNumberRecord[]> {
    const { due, now } = await this.#due.due(records);
    if (due.length === 0) return records;
    const updated = new Map<string, PhoneNumberRecord>();
    for (const record of due) {
      try {
        const located = { space: space ?? (await this.space(accountId, record.custSpaceId)), record };
        updated.set(record.id, await this.refreshLatest(accountId, located));
        this.#due.seen(record.upstreamId, now);
      } catch {
        // The reconciler or the next read catches up.
      }
    }
    return records
      .map((r) => updated.get(r.id) ?? r)
      .filter((r) => status === undefined || r.status === status);
  }

  /** Persists a patch and announces changes of watched fields. */
  async apply(
    accountId: string,
    located: LocatedNumber,
    patch: PhoneNumberPatch,
  ): Promise<PhoneNumberRecord> {
    const before = located.record;
    const fields = changedFields(before, patch);
    if (fields.length === 0) return before;
    const now = new Date(this.#deps.clock.now()).toISOString();
    await this.#deps.numbers.update(accountId, before.id, patch, now);
    const after: PhoneNumberRecord = { ...before, ...definedOnly(patch), updatedAt: now };
    const watched = WATCHED.filter((f) => fields.includes(f));
    if (watched.length > 0 && this.#deps.onChange) {
      await this.#deps.onChange({ space: located.space, before, after, fields: watched });
    }
    return after;
  }

  /**
   * QueryChatappPhoneNumbers, GetChatappPhoneNumberMetric, the console: a keyset page of one space's numbers (e164
   * order), or of every space of the account when none is given (space by space). The page is brought
   * up to date as `list` is; a number that leaves `page.status` meanwhile leaves the page, which may
   * then be shorter than asked while `next` says more follow.
   */
  async listPage(
    accountId: string,
    custSpaceId: string | undefined,
    page: PageRequest,
  ): Promise<PhoneNumberPage> {
    if (custSpaceId === undefined) {
      const found = await this.#deps.numbers.listPageForAccount(accountId, page);
      return { ...found, numbers: await this.#fresh(accountId, found.numbers, page.status) };
    }
    const space = await this.space(accountId, custSpaceId);
    const found = await this.#deps.numbers.listPage(accountId, space.id, page);
    return { ...found, numbers: await this.#fresh(accountId, found.numbers, page.status, space) };
  }

  /**
   * The number `e164` as a listing would show it (not an intent): in the given space, or in the first
   * space of the account that has it when none is given. One indexed lookup, whatever the space holds.
   */
  async findListed(
    accountId: string,
    custSpaceId: string | undefined,
    e164: string,
  ): Promise<PhoneNumberRecord | undefined> {
    if (custSpaceId === undefined) return this.#deps.numbers.findInAccount(accountId, e164);
    const space = await this.space(accountId, custSpaceId);
    const found = await this.#deps.numbers.find(accountId, space.id, e164);
    return found?.upstreamId === '' ? undefined : found;
  }

  /** Every number of one space, or of every space of the account when none is given. */
  async list(
    accountId: string,
    custSpaceId: string | undefined,
    status?: string,
  ): Promise<PhoneNumberRecord[]> {
    if (custSpaceId === undefined) {
      return this.#fresh(accountId, await this.#deps.numbers.listForAccount(accountId, status), status);
    }
    const space = await this.space(accountId, custSpaceId);
    return this.#fresh(accountId, await this.#deps.numbers.list(accountId, space.id, status), status, space);
  }
}
