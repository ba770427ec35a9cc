import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { fail } from '../gateway/errors.js';
import type { PhoneNumberRecord, PhoneNumbersRepo } from '../store/phone-numbers-repo.js';
import type { CustSpace, SpacesRepo } from '../store/spaces-repo.js';
import type { WhatsAppProvider } from '../upstream/provider.js';
import { camsNameStatus, camsQualityRating } from './cams-enums.js';
import { KeyedMutex } from './keyed-mutex.js';
import { checkVerifiedName, normalizePhoneNumber } from './phone-number.js';
import { upstreamFailure } from './upstream-errors.js';

export interface AddPhoneNumberInput {
  custSpaceId: string;
  cc: string;
  phoneNumber: string;
  verifiedName: string;
}

export interface PhoneNumberDeps {
  spaces: SpacesRepo;
  numbers: PhoneNumbersRepo;
  upstream: WhatsAppProvider;
  clock: Clock;
}

/** Phone numbers of customer spaces: the rules between the CAMS actions and the store/upstream. */
export class PhoneNumberService {
  readonly #deps: PhoneNumberDeps;
  readonly #mutex = new KeyedMutex();

  constructor(deps: PhoneNumberDeps) {
    this.#deps = deps;
  }

  /** Tenant check shared by every action: absent and foreign spaces are indistinguishable. */
  async space(accountId: string, custSpaceId: string): Promise<CustSpace> {
    const space = await this.#deps.spaces.get(accountId, custSpaceId);
    if (space === undefined) throw fail('Unknown.ResourceOwnerId');
    return space;
  }

  /**
   * AddChatappPhoneNumber: validate, refuse a number the space already has, create it on the
   * space's WABA upstream, then persist what upstream reports.
   */
  async add(accountId: string, input: AddPhoneNumberInput): Promise<PhoneNumberRecord> {
    const space = await this.space(accountId, input.custSpaceId);
    const number = normalizePhoneNumber(input.cc, input.phoneNumber);
    const verifiedName = checkVerifiedName(input.verifiedName);
    return this.#mutex.run(`${space.id}:${number.e164}`, async () => {
      if ((await this.#deps.numbers.find(accountId, space.id, number.e164)) !== undefined) {
        throw fail(
          'PhoneNumber.Exists',
          `The phone number ${number.e164} already exists in customer space ${space.id}.`,
        );
      }
      const created = await this.#deps.upstream
        .createPhoneNumber(space.wabaId, { cc: number.cc, phoneNumber: number.nationalNumber, verifiedName })
        .catch((error: unknown) => {
          throw upstreamFailure(error);
        });
      const now = new Date(this.#deps.clock.now()).toISOString();
      const record: PhoneNumberRecord = {
        id: randomUUID(),
        accountId,
        custSpaceId: space.id,
        upstreamId: created.id,
        cc: number.cc,
        nationalNumber: number.nationalNumber,
        e164: number.e164,
        verifiedName: created.verifiedName,
        status: created.status,
        codeVerificationStatus: created.codeVerificationStatus,
        nameStatus: camsNameStatus(created.nameStatus),
        newNameStatus: '',
        qualityRating: camsQualityRating(created.qualityRating),
        messagingLimitTier: created.messagingLimitTier,
        statusCallbackUrl: '',
        upCallbackUrl: '',
        createdAt: now,
        updatedAt: now,
      };
      await this.#deps.numbers.insert(accountId, record);
      return record;
    });
  }

  /** QueryChatappPhoneNumbers: one space's numbers, or every space of the account when none is given. */
  async list(
    accountId: string,
    custSpaceId: string | undefined,
    status?: string,
  ): Promise<PhoneNumberRecord[]> {
    if (custSpaceId === undefined) return this.#deps.numbers.listForAccount(accountId, status);
    const space = await this.space(accountId, custSpaceId);
    return this.#deps.numbers.list(accountId, space.id, status);
  }
}
