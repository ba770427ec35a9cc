import { invalidParameter } from '../errors/index.js';
import type { SpacesRepository } from '../store/repositories.js';
import type { BusinessProfile, WhatsAppProvider } from '../upstream/provider.js';
import type { NumberRef } from './lifecycle.js';
import type { PhoneNumberService } from './phone-numbers.js';
import { upstream } from './upstream-errors.js';

/** Refuses a callback URL the service must not call (SSRF); throws with a message users can act on. */
export type CallbackUrlCheck = (url: string) => Promise<void>;

export interface SettingsDeps {
  spaces: SpacesRepository;
  phoneNumbers: PhoneNumberService;
  upstream: WhatsAppProvider;
  checkCallbackUrl: CallbackUrlCheck;
}

export interface PhoneWebhookInput extends NumberRef {
  statusCallbackUrl?: string;
  upCallbackUrl?: string;
  httpFlag?: string;
  queueFlag?: string;
}

/** Business profiles (upstream) and callback settings (local) of numbers and spaces. */
export class NumberSettingsService {
  readonly #d: SettingsDeps;

  constructor(deps: SettingsDeps) {
    this.#d = deps;
  }

  async profile(accountId: string, ref: NumberRef): Promise<BusinessProfile> {
    const { record } = await this.#d.phoneNumbers.locate(accountId, ref.custSpaceId, ref.e164);
    return upstream(() => this.#d.upstream.getBusinessProfile(record.upstreamId));
  }

  async modifyProfile(accountId: string, ref: NumberRef, patch: Partial<BusinessProfile>): Promise<void> {
    const { record } = await this.#d.phoneNumbers.locate(accountId, ref.custSpaceId, ref.e164);
    await upstream(() => this.#d.upstream.updateBusinessProfile(record.upstreamId, patch));
  }

  async #checked(name: string, url: string | undefined): Promise<void> {
    if (url === undefined || url === '') return;
    try {
      await this.#d.checkCallbackUrl(url);
    } catch (error) {
      throw invalidParameter(name, error instanceof Error ? error.message : String(error));
    }
  }

  /** UpdatePhoneWebhook: per-number callbacks; an empty URL clears it. */
  async setPhoneWebhook(accountId: string, input: PhoneWebhookInput): Promise<void> {
    const located = await this.#d.phoneNumbers.locate(accountId, input.custSpaceId, input.e164);
    await this.#checked('StatusCallbackUrl', input.statusCallbackUrl);
    await this.#checked('UpCallbackUrl', input.upCallbackUrl);
    await this.#d.phoneNumbers.apply(accountId, located, {
      statusCallbackUrl: input.statusCallbackUrl,
      upCallbackUrl: input.upCallbackUrl,
      httpFlag: input.httpFlag,
      queueFlag: input.queueFlag,
    });
  }

  /** UpdateAccountWebhook: the space-wide status callback, used for numbers without their own. */
  async setSpaceWebhook(
    accountId: string,
    input: { custSpaceId: string; statusCallbackUrl?: string; httpFlag?: string; queueFlag?: string },
  ): Promise<void> {
    const space = await this.#d.phoneNumbers.space(accountId, input.custSpaceId);
    await this.#checked('StatusCallbackUrl', input.statusCallbackUrl);
    await this.#d.spaces.setWebhook(accountId, space.id, input);
  }
}
