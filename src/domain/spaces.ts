import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { AdminError } from '../errors/index.js';
import { newCustSpaceId } from '../iam/ids.js';
import type { SpacesRepository } from '../store/repositories.js';
import type { CustSpace } from '../store/records.js';
import type { WabaFactory, WhatsAppProvider } from '../upstream/provider.js';

/** Associated data of a space's sealed Meta token: it opens only for that space. */
export const graphTokenAad = (spaceId: string): string => `graph_token:${spaceId}`;

const SPACE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/;
const WABA_ID = /^\d{5,20}$/;

/** Customer spaces: created by the operator (CLI), each bound to one WABA upstream. */
export class SpaceAdmin {
  readonly #repo: SpacesRepository;
  readonly #wabas: WabaFactory | undefined;
  readonly #clock: Clock;

  readonly #upstream: WhatsAppProvider | undefined;
  readonly #box: SecretBox | undefined;

  /**
   * `wabas` creates WABAs for spaces (the simulator); without it, `upstream` (Meta) is asked whether the WABA exists
   * and the service's token may use it, so a typo or a missing asset assignment fails here, not later.
   */
  constructor(
    repo: SpacesRepository,
    wabas: WabaFactory | undefined,
    clock: Clock,
    upstream?: WhatsAppProvider,
    box?: SecretBox,
  ) {
    this.#repo = repo;
    this.#wabas = wabas;
    this.#clock = clock;
    this.#upstream = upstream;
    this.#box = box;
  }

  /**
   * With a WABA factory (the simulator), a WABA is created for the space (or registered under the given ID); with a real
   * upstream the operator names the WABA the space is bound to.
   */
  async create(accountId: string, opts: { name: string; id?: string; wabaId?: string }): Promise<CustSpace> {
    const id = opts.id ?? newCustSpaceId();
    if (!SPACE_ID.test(id))
      throw new AdminError(`space ID must be 4-64 letters, digits, _ or -, got "${id}"`);
    if (opts.wabaId !== undefined && !WABA_ID.test(opts.wabaId)) {
      throw new AdminError(
        `WABA ID must be the numeric ID Meta gave the WhatsApp Business Account, got "${opts.wabaId}"`,
      );
    }
    if ((await this.#repo.getAnywhere(id)) !== undefined) throw new AdminError(`space ${id} already exists`);
    if (opts.wabaId !== undefined && (await this.#repo.findByWaba(opts.wabaId)) !== undefined) {
      throw new AdminError(`WABA ${opts.wabaId} is already bound to a customer space`);
    }
    let wabaId = opts.wabaId;
    if (this.#wabas !== undefined) wabaId = await this.#wabas.createWaba(opts.name, opts.wabaId);
    if (wabaId === undefined) throw new AdminError('--waba-id is required when the upstream is Meta');
    if (this.#wabas === undefined && this.#upstream !== undefined) {
      const checked = wabaId;
      await this.#upstream.getWaba(checked).catch((error: unknown) => {
        throw new AdminError(
          `WABA ${checked} cannot be used: ${error instanceof Error ? error.message : String(error)} (assign the WABA to the system user of the token)`,
        );
      });
    }
    const space: CustSpace = {
      id,
      accountId,
      name: opts.name,
      wabaId,
      createdAt: new Date(this.#clock.now()).toISOString(),
      statusCallbackUrl: '',
      httpFlag: '',
      queueFlag: '',
    };
    await this.#repo.insert(space);
    return space;
  }

  /**
   * Gives a space its own Meta access token (sealed at rest; never shown again), or with `undefined`
   * returns it to the deployment's token.
   */
  async setGraphToken(accountId: string, spaceId: string, token: string | undefined): Promise<void> {
    if (token !== undefined && !/^\S{16,4096}$/.test(token)) {
      throw new AdminError('the token must be 16 to 4096 characters without spaces');
    }
    if (this.#box === undefined) throw new AdminError('this store has no master key to seal tokens with');
    const sealed = token === undefined ? null : this.#box.seal(token, graphTokenAad(spaceId));
    if (!(await this.#repo.setGraphToken(accountId, spaceId, sealed))) {
      throw new AdminError(`account ${accountId} has no customer space ${spaceId}`);
    }
  }

  list(accountId: string): Promise<CustSpace[]> {
    return this.#repo.list(accountId);
  }
}
