import type { CustSpace } from './records.js';
import type { SpacesRepository } from './repositories.js';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { inTransition } from './phone-numbers-repo.js';
import { TableCache } from './table-cache.js';

const toSpace = (r: Database['cust_spaces']): CustSpace => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  wabaId: r.waba_id,
  createdAt: r.created_at,
  statusCallbackUrl: r.status_callback_url ?? '',
  httpFlag: r.http_flag ?? '',
  queueFlag: r.queue_flag ?? '',
});

/** Customer spaces (CustSpaceId), always read within their owning account. */
export class SpacesRepo implements SpacesRepository {
  readonly #db: Kysely<Database>;
  /** Every request reads its space; on the embedded store it is served from memory until it changes. */
  readonly #cache: TableCache<CustSpace>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.#cache = new TableCache(db, ['cust_spaces'], { maxEntries: 20_000, fallbackTtlMs: 0 });
  }

  async insert(s: CustSpace): Promise<void> {
    await this.#db
      .insertInto('cust_spaces')
      .values({
        id: s.id,
        account_id: s.accountId,
        name: s.name,
        waba_id: s.wabaId,
        created_at: s.createdAt,
        status_callback_url: s.statusCallbackUrl,
        http_flag: s.httpFlag,
        queue_flag: s.queueFlag,
      })
      .execute();
  }

  /** A space of another account is as absent as one that does not exist. */
  get(accountId: string, spaceId: string): Promise<CustSpace | undefined> {
    return this.#cache.get(`${accountId}\u0000${spaceId}`, async () => {
      const row = await this.#db
        .selectFrom('cust_spaces')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', spaceId)
        .executeTakeFirst();
      return row && Object.freeze(toSpace(row));
    });
  }

  /** Unscoped existence check for the operator, so space IDs stay globally unique. */
  async getAnywhere(spaceId: string): Promise<CustSpace | undefined> {
    const row = await this.#db
      .selectFrom('cust_spaces')
      .selectAll()
      .where('id', '=', spaceId)
      .executeTakeFirst();
    return row && toSpace(row);
  }

  async findByWaba(wabaId: string): Promise<CustSpace | undefined> {
    const row = await this.#db
      .selectFrom('cust_spaces')
      .selectAll()
      .where('waba_id', '=', wabaId)
      .executeTakeFirst();
    return row && toSpace(row);
  }

  async setWebhook(
    accountId: string,
    spaceId: string,
    hook: { statusCallbackUrl?: string; httpFlag?: string; queueFlag?: string },
  ): Promise<void> {
    if (hook.statusCallbackUrl === undefined && hook.httpFlag === undefined && hook.queueFlag === undefined)
      return;
    await this.#db
      .updateTable('cust_spaces')
      .set({
        ...(hook.statusCallbackUrl !== undefined ? { status_callback_url: hook.statusCallbackUrl } : {}),
        ...(hook.httpFlag !== undefined ? { http_flag: hook.httpFlag } : {}),
        ...(hook.queueFlag !== undefined ? { queue_flag: hook.queueFlag } : {}),
      })
      .where('account_id', '=', accountId)
      .where('id', '=', spaceId)
      .execute();
  }

  /**
   * Spaces with a number whose state can change on its own upstream: a display name in review, or a
   * verification that can lapse before the number is registered (the reconciler's usual pass).
   */
  async listInTransition(): Promise<CustSpace[]> {
    const rows = await this.#db
      .selectFrom('cust_spaces')
      .selectAll()
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('phone_numbers as p')
            .select('p.id')
            .whereRef('p.cust_space_id', '=', 'cust_spaces.id')
            .where((w) => inTransition(w)),
        ),
      )
      .orderBy('created_at')
      .execute();
    return rows.map(toSpace);
  }

  /** Sets (or, with null, removes) the space's own sealed Meta token. */
  async setGraphToken(accountId: string, spaceId: string, sealed: string | null): Promise<boolean> {
    const r = await this.#db
      .updateTable('cust_spaces')
      .set({ graph_token_sealed: sealed })
      .where('account_id', '=', accountId)
      .where('id', '=', spaceId)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /**
   * The sealed token of the space bound to a WABA, for the Graph client. Unscoped by design: it runs
   * below the tenant layer, for a WABA the domain already resolved within its account.
   */
  async graphTokenOf(wabaId: string): Promise<{ spaceId: string; sealed: string } | undefined> {
    const row = await this.#db
      .selectFrom('cust_spaces')
      .select(['id', 'graph_token_sealed'])
      .where('waba_id', '=', wabaId)
      .executeTakeFirst();
    return row?.graph_token_sealed ? { spaceId: row.id, sealed: row.graph_token_sealed } : undefined;
  }

  /** Every space, for the background reconciler (it then works within each space's account). */
  async listAll(): Promise<CustSpace[]> {
    const rows = await this.#db.selectFrom('cust_spaces').selectAll().orderBy('created_at').execute();
    return rows.map(toSpace);
  }

  async list(accountId: string): Promise<CustSpace[]> {
    const rows = await this.#db
      .selectFrom('cust_spaces')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSpace);
  }
}
