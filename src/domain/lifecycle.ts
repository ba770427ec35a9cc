import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { PhoneNumbersRepository } from '../store/repositories.js';
import type { CustSpace, PageRequest, PhoneNumberPage, PhoneNumberRecord } from '../store/records.js';
import type { WhatsAppProvider } from '../upstream/provider.js';
import { fail } from '../errors/index.js';
import { newPhoneNumberRecord } from './number-state.js';
import type { LocatedNumber, PhoneNumberService } from './phone-numbers.js';
import { upstream } from './upstream-errors.js';

export interface LifecycleDeps {
  numbers: PhoneNumbersRepository;
  phoneNumbers: PhoneNumberService;
  upstream: WhatsAppProvider;
  box: SecretBox;
  clock: Clock;
}

/** A number of a customer space. In the domain a phone number is its E.164 digits (8613800138000). */
export interface NumberRef {
  custSpaceId: string;
  e164: string;
}

/**
 * Verification, registration and synchronisation of numbers (whatsapp-upstream.md §1.2, §2.2): each
 * CAMS action becomes the Graph calls Meta needs, then the local record is refreshed from upstream.
 */
export class LifecycleService {
  readonly #d: LifecycleDeps;

  constructor(deps: LifecycleDeps) {
    this.#d = deps;
  }

  /** GetChatappVerifyCode -> `request_code` (CAMS `sms`/`voice` -> Meta `SMS`/`VOICE`). */
  async requestCode(
    accountId: string,
    ref: NumberRef,
    method: 'sms' | 'voice',
    locale: string,
  ): Promise<void> {
    const located = await this.#d.phoneNumbers.locate(accountId, ref.custSpaceId, ref.e164);
    await upstream(() =>
      this.#d.upstream.requestCode(located.record.upstreamId, {
        method: method === 'voice' ? 'VOICE' : 'SMS',
        language: locale,
      }),
    );
    await this.#settle(accountId, located);
  }

  /** ChatappVerifyAndRegister -> `verify_code`, then `register` with the service's PIN. */
  async verifyAndRegister(accountId: string, ref: NumberRef, code: string): Promise<void> {
    const located = await this.#d.phoneNumbers.locate(accountId, ref.custSpaceId, ref.e164);
    await this.#d.phoneNumbers.exclusive(located, async () => {
      await upstream(() => this.#d.upstream.verifyCode(located.record.upstreamId, code));
      const verified = await this.#settle(accountId, located);
      await this.#register(accountId, { space: located.space, record: verified });
    });
  }

  /** ChatappPhoneNumberRegister -> `register` with the PIN this service owns (whatsapp-upstream.md §0.2). */
  async register(accountId: string, ref: NumberRef): Promise<void> {
    const located = await this.#d.phoneNumbers.locate(accountId, ref.custSpaceId, ref.e164);
    await this.#d.phoneNumbers.exclusive(located, () => this.#register(accountId, located));
  }

  async #register(accountId: string, located: LocatedNumber): Promise<void> {
    const pin = await this.#pin(accountId, located.record);
    try {
      await upstream(() => this.#d.upstream.register(located.record.upstreamId, pin));
    } finally {
      // A failed register may still have changed upstream state (a block, a lapsed verification).
      await this.#settle(accountId, located);
    }
  }

  /**
   * The re-read after a call that succeeded upstream: best effort, so a failing read cannot turn a
   * done deed into an error; the reconciler and the next action catch up.
   */
  async #settle(accountId: string, located: LocatedNumber): Promise<PhoneNumberRecord> {
    return this.#d.phoneNumbers.refresh(accountId, located).catch(() => located.record);
  }

  /**
   * The number's two-step verification PIN: generated on the first register and sealed in the store
   * BEFORE Meta sees it, so a crash after Meta set it cannot lose it; reused on every later register;
   * never shown (CAMS's register actions take no PIN, whatsapp-upstream.md §0.2).
   */
  async #pin(accountId: string, record: PhoneNumberRecord): Promise<string> {
    const aad = `pin:${record.id}`;
    if (record.pinSealed !== undefined) return this.#d.box.open(record.pinSealed, aad);
    const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const sealed = this.#d.box.seal(pin, aad);
    await this.#d.numbers.update(
      accountId,
      record.id,
      { pinSealed: sealed },
      new Date(this.#d.clock.now()).toISOString(),
    );
    record.pinSealed = sealed;
    return pin;
  }

  /**
   * GetPreValidatePhoneId: a number of the caller (any space) whose code checks out with Meta's
   * `verify_code`; answers its upstream phone-number ID.
   */
  async preValidate(accountId: string, e164: string, code: string): Promise<PhoneNumberRecord> {
    const record = await this.#d.numbers.findInAccount(accountId, e164);
    if (record === undefined) {
      throw fail('PhoneNumber.NotFound', `The phone number ${e164} was not added by this account.`);
    }
    const space = await this.#d.phoneNumbers.space(accountId, record.custSpaceId);
    await upstream(() => this.#d.upstream.verifyCode(record.upstreamId, code));
    return this.#d.phoneNumbers.refresh(accountId, { space, record });
  }

  /** ChatappPhoneNumberDeregister -> `deregister`; the PIN is kept for the next register. */
  async deregister(accountId: string, ref: NumberRef): Promise<void> {
    const located = await this.#d.phoneNumbers.locate(accountId, ref.custSpaceId, ref.e164);
    await this.#d.phoneNumbers.exclusive(located, async () => {
      await upstream(() => this.#d.upstream.deregister(located.record.upstreamId));
      await this.#settle(accountId, located);
    });
  }

  /** GetPhoneNumberVerificationStatus: the upstream truth, also stored locally. */
  async verificationStatus(accountId: string, ref: NumberRef): Promise<PhoneNumberRecord> {
    const located = await this.#d.phoneNumbers.locate(accountId, ref.custSpaceId, ref.e164);
    return this.#d.phoneNumbers.refresh(accountId, located);
  }

  /**
   * ChatappSyncPhoneNumber: pulls every number of the space's WABA from upstream. Local numbers are
   * updated, numbers upstream has and this service does not are adopted, numbers upstream no longer
   * has are marked DELETED.
   */
  async sync(accountId: string, custSpaceId: string, page: PageRequest): Promise<PhoneNumberPage> {
    const space = await this.#d.phoneNumbers.space(accountId, custSpaceId);
    await this.#pull(space);
    return this.#d.numbers.listPage(accountId, space.id, page);
  }

  /**
   * The background reconciler's visit of a space (FULL_PASS_EVERY-th pass: `full`, every space). With
   * Meta the WABA is listed once (one call for up to 100 numbers, as its rate limits want). With the
   * embedded simulator, where reading a number is a local lookup, a space whose numbers in transition
   * are at most a quarter of its numbers has only those re-read, one by one: a space with thousands of
   * settled numbers and a few in review costs a few reads, not thousands. Otherwise, and for intents, a
   * full pass or a number upstream no longer has, the full sync (listing is cheaper for small spaces).
   */
  async reconcileSpace(space: CustSpace, full: boolean): Promise<void> {
    if (full || !this.#d.upstream.readsAreLocal) {
      await this.#pull(space);
      return;
    }
    // One read decides: intents or a space mostly in transition are synced whole.
    const census = await this.#d.numbers.census(space.accountId, space.id);
    if (census.inTransition === 0 && census.intents === 0) return;
    if (census.intents > 0 || census.inTransition * 4 > census.numbers) {
      await this.#pull(space);
      return;
    }
    const moving = await this.#d.numbers.listInTransition(space.accountId, space.id);
    try {
      for (const record of moving) {
        await this.#d.phoneNumbers.refreshLatest(space.accountId, { space, record });
      }
    } catch {
      await this.#pull(space);
    }
  }

  /** Pulls the space's numbers from upstream into the store (see `sync`). */
  async #pull(space: CustSpace): Promise<void> {
    const accountId = space.accountId;
    const remote = await upstream(() => this.#d.upstream.listPhoneNumbers(space.wabaId));
    for (const intent of await this.#d.numbers.listIntents(accountId, space.id)) {
      await this.#d.phoneNumbers.resolveIntent(space, intent, remote);
    }
    const local = await this.#d.numbers.list(accountId, space.id);
    const byUpstreamId = new Map(local.map((r) => [r.upstreamId, r]));
    const now = new Date(this.#d.clock.now()).toISOString();
    for (const u of remote) {
      const record = byUpstreamId.get(u.id) ?? local.find((r) => r.e164 === u.e164);
      if (record !== undefined) {
        await this.#d.phoneNumbers.refreshLatest(accountId, { space, record }, u);
        continue;
      }
      await this.#d.numbers.insert(
        accountId,
        newPhoneNumberRecord({
          accountId,
          custSpaceId: space.id,
          cc: u.cc,
          nationalNumber: u.phoneNumber,
          verifiedName: u.verifiedName,
          nowIso: now,
          state: u,
        }),
      );
    }
    const remoteIds = new Set(remote.map((u) => u.id));
    for (const record of local) {
      if (!remoteIds.has(record.upstreamId) && record.status !== 'DELETED') {
        await this.#d.phoneNumbers.apply(accountId, { space, record }, { status: 'DELETED' });
      }
    }
  }
}
