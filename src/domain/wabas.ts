import { fail, invalidParameter, missingParameter, AdminError } from '../errors/index.js';
import type { SpacesRepository } from '../store/repositories.js';
import type { CustSpace } from '../store/records.js';
import type { UpstreamWaba, WhatsAppProvider } from '../upstream/provider.js';
import type { PhoneNumberService } from './phone-numbers.js';
import type { SpaceAdmin } from './spaces.js';
import { upstream } from './upstream-errors.js';

export interface WabaDeps {
  spaces: SpacesRepository;
  spaceAdmin: SpaceAdmin;
  phoneNumbers: PhoneNumberService;
  upstream: WhatsAppProvider;
  /**
   * The Meta app and Embedded Signup configuration IDs IsvGetAppId answers; absent when the deployment
   * has none (IsvGetAppId then answers EmbeddedSignup.NotConfigured).
   */
  embeddedSignup: { readonly appId: string; readonly configId: string } | undefined;
}

/** WABAs bound to customer spaces: QueryChatappBindWaba, ChatappBindWaba, ChatappEmbedSignUp, IsvGetAppId. */
export class WabaService {
  readonly #d: WabaDeps;

  constructor(deps: WabaDeps) {
    this.#d = deps;
  }

  /** The given space, or the account's only space when none is given. */
  async #space(accountId: string, custSpaceId: string | undefined): Promise<CustSpace> {
    if (custSpaceId !== undefined) return this.#d.phoneNumbers.space(accountId, custSpaceId);
    const spaces = await this.#d.spaces.list(accountId);
    if (spaces.length !== 1) throw missingParameter('CustSpaceId');
    return spaces[0]!;
  }

  async query(accountId: string, custSpaceId: string | undefined): Promise<UpstreamWaba> {
    const space = await this.#space(accountId, custSpaceId);
    return upstream(() => this.#d.upstream.getWaba(space.wabaId));
  }

  /**
   * ChatappBindWaba: binds a WABA to a new customer space of the caller (idempotent for the same
   * account). A WABA already bound to another account's space answers Unknown.ResourceOwnerId.
   */
  async bind(accountId: string, wabaId: string): Promise<CustSpace> {
    const existing = await this.#d.spaces.findByWaba(wabaId);
    if (existing !== undefined) {
      if (existing.accountId !== accountId) throw fail('Unknown.ResourceOwnerId');
      return existing;
    }
    try {
      // With Meta, SpaceAdmin checks that the WABA exists and the service's token may use it.
      return await this.#d.spaceAdmin.create(accountId, { name: `WABA ${wabaId}`, wabaId });
    } catch (error) {
      if (error instanceof AdminError) throw invalidParameter('WabaId', error.message);
      throw error;
    }
  }

  /** ChatappEmbedSignUp: the WABAs bound to the caller's spaces (the InputToken is not exchanged). */
  async embedSignUp(accountId: string): Promise<UpstreamWaba[]> {
    const spaces = await this.#d.spaces.list(accountId);
    return Promise.all(spaces.map((s) => upstream(() => this.#d.upstream.getWaba(s.wabaId))));
  }

  appId(): { appId: string; configId: string } {
    const app = this.#d.embeddedSignup;
    if (app === undefined) throw fail('EmbeddedSignup.NotConfigured');
    return { appId: app.appId, configId: app.configId };
  }
}
