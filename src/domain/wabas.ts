import { fail, invalidParameter, missingParameter, AdminError, UpstreamError } from '../errors/index.js';
import type { SpacesRepository } from '../store/repositories.js';
import type { CustSpace } from '../store/records.js';
import type { UpstreamWaba, WhatsAppProvider } from '../upstream/provider.js';
import type { PhoneNumberService } from './phone-numbers.js';
import type { SpaceAdmin } from './spaces.js';
import { upstream, upstreamFailure } from './upstream-errors.js';

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
   * ChatappBindWaba: binds a WABA the upstream knows to a new customer space of the caller, and says
   * whether the space was created now. Binding the same WABA again answers the existing space (nothing
   * created); a WABA bound to another account's space answers Unknown.ResourceOwnerId; a WABA the
   * upstream does not know (Meta's 100/33, whatsapp-upstream.md §1.10) is refused and creates nothing,
   * neither a space nor, with the simulator, a WABA.
   */
  async bind(accountId: string, wabaId: string): Promise<{ space: CustSpace; created: boolean }> {
    const existing = await this.#d.spaces.findByWaba(wabaId);
    if (existing !== undefined) {
      if (existing.accountId !== accountId) throw fail('Unknown.ResourceOwnerId');
      return { space: existing, created: false };
    }
    const waba = await this.#d.upstream.getWaba(wabaId).catch((error: unknown) => {
      if (error instanceof UpstreamError && error.code === 100 && error.subcode === 33) {
        throw invalidParameter(
          'WabaId',
          `WhatsApp knows no WhatsApp Business Account ${wabaId} that this service may use (WhatsApp error 100/33); no customer space was created.`,
        );
      }
      throw upstreamFailure(error);
    });
    try {
      const space = await this.#d.spaceAdmin.create(accountId, {
        name: waba.name || `WABA ${wabaId}`,
        wabaId,
      });
      return { space, created: true };
    } catch (error) {
      if (error instanceof AdminError) throw invalidParameter('WabaId', error.message);
      throw error;
    }
  }

  /**
   * ChatappEmbedSignUp: the WABAs bound to the caller's first `max` spaces, in order of creation (the
   * InputToken is not exchanged). Each is read upstream, so the answer is bounded as the upstream calls
   * of one request are.
   */
  async embedSignUp(accountId: string, max: number): Promise<UpstreamWaba[]> {
    const spaces = (await this.#d.spaces.list(accountId)).slice(0, max);
    return Promise.all(spaces.map((s) => upstream(() => this.#d.upstream.getWaba(s.wabaId))));
  }

  appId(): { appId: string; configId: string } {
    const app = this.#d.embeddedSignup;
    if (app === undefined) throw fail('EmbeddedSignup.NotConfigured');
    return { appId: app.appId, configId: app.configId };
  }
}
