import type {
  PageRequest,
  PhoneNumberPage,
  PhoneNumberPatch,
  PhoneNumberRecord,
  SpaceCensus,
} from './records.js';
import type { PhoneNumbersRepository } from './repositories.js';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { prepared, type Arg } from './prepared.js';
import type { Database, PhoneNumbersTable } from './schema.js';
import { TableCache } from './table-cache.js';

const toRecord = (r: PhoneNumbersTable): PhoneNumberRecord => ({
  id: r.id,
  accountId: r.account_id,
  custSpaceId: r.cust_space_id,
  upstreamId: r.upstream_id,
  cc: r.cc,
  nationalNumber: r.national_number,
  e164: r.e164,
  verifiedName: r.verified_name,
  status: r.status,
  codeVerificationStatus: r.code_verification_status,
  nameStatus: r.name_status,
  newNameStatus: r.new_name_status,
  nameRejectionReason: r.name_rejection_reason ?? '',
  qualityRating: r.quality_rating,
  messagingLimitTier: r.messaging_limit_tier,
  statusCallbackUrl: r.status_callback_url,
  upCallbackUrl: r.up_callback_url,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  pinSealed: r.pin_sealed ?? undefined,
  httpFlag: r.http_flag ?? '',
  queueFlag: r.queue_flag ?? '',
});

const COLUMNS: Record<keyof PhoneNumberPatch, keyof PhoneNumbersTable> = {
  upstreamId: 'upstream_id',
  verifiedName: 'verified_name',
  status: 'status',
  codeVerificationStatus: 'code_verification_status',
  nameStatus: 'name_status',
  newNameStatus: 'new_name_status',
  nameRejectionReason: 'name_rejection_reason',
  qualityRating: 'quality_rating',
  messagingLimitTier: 'messaging_limit_tier',
  statusCallbackUrl: 'status_callback_url',
  upCallbackUrl: 'up_callback_url',
  httpFlag: 'http_flag',
  queueFlag: 'queue_flag',
  pinSealed: 'pin_sealed',
};

const toRow = (p: PhoneNumberRecord): PhoneNumbersTable => ({
  id: p.id,
  account_id: p.accountId,
  cust_space_id: p.custSpaceId,
  upstream_id: p.upstreamId,
  cc: p.cc,
  national_number: p.nationalNumber,
  e164: p.e164,
  verified_name: p.verifiedName,
  status: p.status,
  code_verification_status: p.codeVerificationStatus,
  name_status: p.nameStatus,
  new_name_status: p.newNameStatus,
  name_rejection_reason: p.nameRejectionReason === '' ? null : p.nameRejectionReason,
  quality_rating: p.qualityRating,
  messaging_limit_tier: p.messagingLimitTier,
  status_callback_url: p.statusCallbackUrl,
  up_callback_url: p.upCallbackUrl,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
  pin_sealed: p.pinSealed ?? null,
  http_flag: p.httpFlag,
  queue_flag: p.queueFlag,
});

// The statements of the request paths, built once (prepared.ts).
const PHONE_NUMBER_COLUMNS = Object.keys(toRow({} as PhoneNumberRecord)) as Array<keyof PhoneNumbersTable>;

const insertRow = (db: Kysely<Database>, arg: Arg<PhoneNumbersTable>) => {
  const values: Record<string, unknown> = {};
  for (const column of PHONE_NUMBER_COLUMNS) values[column] = arg(column);
  return db.insertInto('phone_numbers').values(values as unknown as PhoneNumbersTable);
};
const INSERT = prepared(insertRow);
const INSERT_UNLESS_EXISTS = prepared((db: Kysely<Database>, arg: Arg<PhoneNumbersTable>) =>
  insertRow(db, arg).onConflict((oc) => oc.columns(['cust_space_id', 'e164']).doNothing()),
);

const FIND = prepared(
  (db: Kysely<Database>, arg: Arg<{ accountId: string; custSpaceId: string; e164: string }>) =>
    db
      .selectFrom('phone_numbers')
      .selectAll()
      .where('account_id', '=', arg('accountId'))
      .where('cust_space_id', '=', arg('custSpaceId'))
      .where('e164', '=', arg('e164')),
);

type ListArgs = { accountId: string; custSpaceId: string; status: string };
const listQuery = (db: Kysely<Database>, arg: Arg<ListArgs>, withStatus: boolean) => {
  let q = db
    .selectFrom('phone_numbers')
    .selectAll()
    .where('account_id', '=', arg('accountId'))
    .where('cust_space_id', '=', arg('custSpaceId'))
    .where('upstream_id', '!=', '');
  if (withStatus) q = q.where('status', '=', arg('status'));
  return q.orderBy('created_at').orderBy('e164');
};
const LIST = prepared((db: Kysely<Database>, arg: Arg<Omit<ListArgs, 'status'>>) =>
  listQuery(db, arg as Arg<ListArgs>, false),
);
const LIST_WITH_STATUS = prepared((db: Kysely<Database>, arg: Arg<ListArgs>) => listQuery(db, arg, true));

/**
 * A keyset page of a space: the unique (cust_space_id, e164) index gives the space's numbers in e164
 * order, so the statement reads the page's rows and stops (LIMIT), however many numbers the space has.
 * One prepared statement per shape: with or without a Status filter, first page or after a position.
 */
type PageArgs = { accountId: string; custSpaceId: string; status: string; after: string; limit: number };
const pageQuery = (db: Kysely<Database>, arg: Arg<PageArgs>, withStatus: boolean, withAfter: boolean) => {
  let q = db
    .selectFrom('phone_numbers')
    .selectAll()
    .where('account_id', '=', arg('accountId'))
    .where('cust_space_id', '=', arg('custSpaceId'))
    .where('upstream_id', '!=', '');
  if (withStatus) q = q.where('status', '=', arg('status'));
  if (withAfter) q = q.where('e164', '>', arg('after'));
  return q.orderBy('e164').limit(arg('limit'));
};
const PAGES = [false, true].map((withStatus) =>
  [false, true].map((withAfter) =>
    prepared((db: Kysely<Database>, arg: Arg<PageArgs>) => pageQuery(db, arg, withStatus, withAfter)),
  ),
);

/** The account's spaces from a position on, in ID order (the cust_spaces_account index). */
const SPACES_FROM = prepared((db: Kysely<Database>, arg: Arg<{ accountId: string; from: string }>) =>
  db
    .selectFrom('cust_spaces')
    .select('id')
    .where('account_id', '=', arg('accountId'))
    .where('id', '>=', arg('from'))
    .orderBy('id'),
);

/** The page of `rows` read with one row more than `limit`: the extra row says more follow. */
function pageOf(rows: readonly PhoneNumberRecord[], limit: number): PhoneNumberPage {
  if (rows.length <= limit) return { numbers: [...rows] };
  const numbers = rows.slice(0, limit);
  const last = numbers[numbers.length - 1]!;
  return { numbers, next: { custSpaceId: last.custSpaceId, e164: last.e164 } };
}

/** The update of exactly these patch fields (and updated_at), one prepared statement per set of fields. */
const UPDATES = new Map<string, ReturnType<typeof prepareUpdate>>();
function prepareUpdate(fields: ReadonlyArray<keyof PhoneNumberPatch>) {
  return prepared((db: Kysely<Database>, arg: Arg<Record<string, string>>) => {
    const values: Record<string, string> = { updated_at: arg('updatedAt') };
    for (const field of fields) values[COLUMNS[field]] = arg(field);
    return db
      .updateTable('phone_numbers')
      .set(values)
      .where('account_id', '=', arg('accountId'))
      .where('id', '=', arg('id'));
  });
}
function updateOf(fields: ReadonlyArray<keyof PhoneNumberPatch>) {
  const key = fields.join(',');
  let update = UPDATES.get(key);
  if (update === undefined) {
    update = prepareUpdate(fields);
    UPDATES.set(key, update);
  }
  return update;
}

/**
 * A number whose state upstream may change on its own: a display name in review, or a verification
 * that can lapse before the number is registered (what the reconciler re-reads).
 */
export function inTransition<DB extends { p: PhoneNumbersTable }>(w: ExpressionBuilder<DB, 'p'>) {
  const e = w as unknown as ExpressionBuilder<{ p: PhoneNumbersTable }, 'p'>;
  // Literals, not parameters, and the condition of the partial index phone_numbers_in_transition as
  // written (migrations/013-hot-query-indexes.ts): only then may SQLite use the index.
  return e.or([
    e('p.name_status', '=', sql.lit('Pending_Review')),
    e('p.new_name_status', '=', sql.lit('Pending_Review')),
    e.and([
      e('p.code_verification_status', '=', sql.lit('VERIFIED')),
      e('p.status', '!=', sql.lit('CONNECTED')),
    ]),
  ]);
}

type SpaceArgs = { accountId: string; custSpaceId: string };
const IN_TRANSITION = prepared((db: Kysely<Database>, arg: Arg<SpaceArgs>) =>
  db
    .selectFrom('phone_numbers as p')
    .selectAll()
    .where('p.account_id', '=', arg('accountId'))
    .where('p.cust_space_id', '=', arg('custSpaceId'))
    .where('p.upstream_id', '!=', '')
    .where((w) => inTransition(w)),
);
const INTENTS = prepared((db: Kysely<Database>, arg: Arg<SpaceArgs>) =>
  db
    .selectFrom('phone_numbers')
    .selectAll()
    .where('account_id', '=', arg('accountId'))
    .where('cust_space_id', '=', arg('custSpaceId'))
    .where('upstream_id', '=', ''),
);
const CENSUS = prepared((db: Kysely<Database>, arg: Arg<SpaceArgs>) =>
  db
    .selectFrom('phone_numbers as p')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('numbers'),
      eb.fn
        .sum<number | string | null>(eb.case().when('p.upstream_id', '=', '').then(1).else(0).end())
        .as('intents'),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when(eb.and([eb('p.upstream_id', '!=', ''), inTransition(eb)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('inTransition'),
    ])
    .where('p.account_id', '=', arg('accountId'))
    .where('p.cust_space_id', '=', arg('custSpaceId')),
);

/** Write counters of accounts, hashed into a fixed number of buckets (a shared bucket costs a reread). */
const ACCOUNT_BUCKETS = 4096;
function bucketOf(accountId: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < accountId.length; i++) h = Math.imul(h ^ accountId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % ACCOUNT_BUCKETS;
}

/**
 * QueryChatappPhoneNumbers of a space, served from memory on the embedded store until a number of the
 * account is written (every write goes through PhoneNumbersRepo and bumps its account's counter, before
 * and after) or another process commits (TableCache). Integrators poll it. One per store, shared by
 * every repository over it.
 */
interface ListCache {
  readonly lists: TableCache<readonly PhoneNumberRecord[]>;
  readonly accountWrites: Uint32Array;
}
const LIST_CACHES = new WeakMap<object, ListCache>();
function listCacheOf(db: object): ListCache {
  let cache = LIST_CACHES.get(db);
  if (cache === undefined) {
    cache = {
      // Bounded by rows (~1 KB each), not lists: a space with thousands of numbers is read, not kept.
      lists: new TableCache(db, [], {
        maxEntries: 20_000,
        maxWeight: 20_000,
        weigh: (rows) => rows.length + 1,
        fallbackTtlMs: 0,
      }),
      accountWrites: new Uint32Array(ACCOUNT_BUCKETS),
    };
    LIST_CACHES.set(db, cache);
  }
  return cache;
}

/** A bounded page of a space's numbers, filtered; `after` is the last e164 of the previous page. */
export interface NumberPageQuery {
  readonly limit: number;
  readonly after?: string;
  readonly status?: string;
  readonly nameStatus?: string;
  /** Numbers whose e164 starts with these digits. */
  readonly prefix?: string;
}

/**
 * A page of a space's numbers by keyset on the unique (cust_space_id, e164) index: the database reads
 * the index from `after` on and stops after `limit` matches, however many numbers the space has (the
 * console's test checks the plan). A prefix is a range on the same index (digits only, so no LIKE).
 */
export function numberPageQuery(
  db: Kysely<Database>,
  accountId: string,
  custSpaceId: string,
  query: NumberPageQuery,
) {
  let q = db
    .selectFrom('phone_numbers')
    .selectAll()
    .where('cust_space_id', '=', custSpaceId)
    .where('account_id', '=', accountId)
    .where('upstream_id', '!=', '');
  const prefix = query.prefix ?? '';
  const after = query.after !== undefined && query.after >= prefix ? query.after : undefined;
  if (after !== undefined) q = q.where('e164', '>', after);
  else if (prefix !== '') q = q.where('e164', '>=', prefix);
  // Every e164 that starts with the prefix is below the prefix's digits plus one (8613 -> 8614,
  // 8619 -> 862): digits only, so the bound holds in any collation; all nines have no upper bound.
  const upper = digitsAbove(prefix);
  if (upper !== undefined) q = q.where('e164', '<', upper);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.nameStatus !== undefined) q = q.where('name_status', '=', query.nameStatus);
  return q.orderBy('e164').limit(query.limit);
}

/** The smallest digit string above every string that starts with `prefix`; undefined for '' or all nines. */
function digitsAbove(prefix: string): string | undefined {
  const kept = prefix.replace(/9+$/, '');
  if (kept === '') return undefined;
  return `${kept.slice(0, -1)}${Number(kept.slice(-1)) + 1}`;
}

/** Phone numbers of customer spaces; every query is scoped by account and space. */
export class PhoneNumbersRepo implements PhoneNumbersRepository {
  readonly #db: Kysely<Database>;
  readonly #lists: TableCache<readonly PhoneNumberRecord[]>;
  readonly #accountWrites: Uint32Array;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    ({ lists: this.#lists, accountWrites: this.#accountWrites } = listCacheOf(db));
  }

  /** Runs a write of the account's numbers, invalidating its cached lists before and after. */
  async #write<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    const bucket = bucketOf(accountId);
    this.#accountWrites[bucket]!++;
    try {
      return await work();
    } finally {
      this.#accountWrites[bucket]!++;
    }
  }

  async insert(accountId: string, p: PhoneNumberRecord): Promise<void> {
    if (p.accountId !== accountId) throw new Error('phone number written outside its tenant');
    await this.#write(accountId, () => INSERT.changed(this.#db, toRow(p)));
  }

  /** Inserts the number unless its space has that number already (a row or an intent): whether it did. */
  async insertUnlessExists(accountId: string, p: PhoneNumberRecord): Promise<boolean> {
    if (p.accountId !== accountId) throw new Error('phone number written outside its tenant');
    return (await this.#write(accountId, () => INSERT_UNLESS_EXISTS.changed(this.#db, toRow(p)))) === 1;
  }

  async update(accountId: string, id: string, patch: PhoneNumberPatch, updatedAt: string): Promise<void> {
    const fields = (Object.keys(patch) as Array<keyof PhoneNumberPatch>).filter(
      (k) => patch[k] !== undefined,
    );
    const args: Record<string, string> = { accountId, id, updatedAt };
    for (const field of fields) args[field] = patch[field]!;
    await this.#write(accountId, () => updateOf(fields).changed(this.#db, args));
  }

  /** Takes over an intent still as it was read (updated_at unchanged): false if someone else did. */
  claimIntent(accountId: string, id: string, seenUpdatedAt: string, nowIso: string): Promise<boolean> {
    return this.#moveLease(accountId, id, nowIso, seenUpdatedAt);
  }

  /** Ends an intent's lease (its Add failed without knowing the outcome upstream). */
  async releaseIntent(accountId: string, id: string, releasedAt: string): Promise<void> {
    await this.#moveLease(accountId, id, releasedAt);
  }

  /** Sets an intent's updated_at (its lease) to `to`; with `seen`, only if it is still that. */
  async #moveLease(accountId: string, id: string, to: string, seen?: string): Promise<boolean> {
    const changed = await this.#write(accountId, () => {
      let q = this.#db
        .updateTable('phone_numbers')
        .set({ updated_at: to })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('upstream_id', '=', '');
      if (seen !== undefined) q = q.where('updated_at', '=', seen);
      return q.executeTakeFirst();
    });
    return Number(changed.numUpdatedRows) === 1;
  }

  async find(accountId: string, custSpaceId: string, e164: string): Promise<PhoneNumberRecord | undefined> {
    const row = await FIND.first(this.#db, { accountId, custSpaceId, e164 });
    return row && toRecord(row);
  }

  /** The WABA of a number by its upstream ID, for the Graph client (unscoped, like graphTokenOf). */
  async wabaOfUpstreamId(upstreamId: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('phone_numbers as p')
      .innerJoin('cust_spaces as s', 's.id', 'p.cust_space_id')
      .select('s.waba_id')
      .where('p.upstream_id', '=', upstreamId)
      .executeTakeFirst();
    return row?.waba_id;
  }

  async delete(accountId: string, id: string): Promise<void> {
    await this.#write(accountId, () =>
      this.#db.deleteFrom('phone_numbers').where('account_id', '=', accountId).where('id', '=', id).execute(),
    );
  }

  /** Numbers of the account; intents (rows without an upstream ID yet) are not numbers yet. */
  async listForAccount(accountId: string, status?: string): Promise<PhoneNumberRecord[]> {
    // Through the account's spaces: phone_numbers is indexed by space (cust_space_id, e164), not account.
    let q = this.#db
      .selectFrom('phone_numbers')
      .selectAll()
      .where('cust_space_id', 'in', (eb) =>
        eb.selectFrom('cust_spaces').select('id').where('account_id', '=', accountId),
      )
      .where('account_id', '=', accountId)
      .where('upstream_id', '!=', '');
    if (status !== undefined) q = q.where('status', '=', status);
    const rows = await q.orderBy('created_at').orderBy('e164').execute();
    return rows.map(toRecord);
  }

  /** Numbers of a space whose state upstream may change on its own (SpacesRepo.listInTransition). */
  async listInTransition(accountId: string, custSpaceId: string): Promise<PhoneNumberRecord[]> {
    return (await IN_TRANSITION.rows(this.#db, { accountId, custSpaceId })).map(toRecord);
  }

  /** The space's numbers counted, in one read (the reconciler's choice between its two ways). */
  async census(accountId: string, custSpaceId: string): Promise<SpaceCensus> {
    const row = await CENSUS.first(this.#db, { accountId, custSpaceId });
    return {
      numbers: Number(row?.numbers ?? 0),
      intents: Number(row?.intents ?? 0),
      inTransition: Number(row?.inTransition ?? 0),
    };
  }

  /** Intents of a space: Add recorded them before calling upstream and has not finished them. */
  async listIntents(accountId: string, custSpaceId: string): Promise<PhoneNumberRecord[]> {
    return (await INTENTS.rows(this.#db, { accountId, custSpaceId })).map(toRecord);
  }

  /** The account's number `e164` in the first of its spaces (ID order) that has it. */
  async findInAccount(accountId: string, e164: string): Promise<PhoneNumberRecord | undefined> {
    // Space by space, each an exact lookup in the unique (cust_space_id, e164) index: planners given one
    // statement for all spaces may walk that index whole on e164 alone (store/hot-query-plans.test.ts).
    for (const { id } of await SPACES_FROM.rows(this.#db, { accountId, from: '' })) {
      const found = await this.find(accountId, id, e164);
      if (found !== undefined && found.upstreamId !== '') return found;
    }
    return undefined;
  }

  /**
   * A keyset page of the space's numbers in e164 order (the console and QueryChatappPhoneNumbers): at
   * most `page.limit` after `page.after` (a position in another space starts at the space's first
   * number). Cached like `list` on the embedded store: integrators poll the first page.
   */
  async listPage(accountId: string, custSpaceId: string, page: PageRequest): Promise<PhoneNumberPage> {
    const after = page.after?.custSpaceId === custSpaceId ? page.after.e164 : undefined;
    if (page.nameStatus !== undefined || page.prefix !== undefined) {
      // The console's filters: the same index range, narrowed, uncached (numberPageQuery).
      const { limit, status, nameStatus, prefix } = page;
      const query = { limit: limit + 1, after, status, nameStatus, prefix };
      const rows = await numberPageQuery(this.#db, accountId, custSpaceId, query).execute();
      return pageOf(rows.map(toRecord), limit);
    }
    const rows = await this.#spaceRows(accountId, custSpaceId, page.limit + 1, after, page.status);
    return pageOf(rows, page.limit);
  }

  /**
   * A keyset page of the account's numbers: its spaces in ID order, each in e164 order, from
   * `page.after` on. Reads one space's rows after another until the page is full: the page's rows and
   * the account's space IDs, never a whole space.
   */
  async listPageForAccount(accountId: string, page: PageRequest): Promise<PhoneNumberPage> {
    const want = page.limit + 1;
    const from = page.after?.custSpaceId ?? '';
    const rows: PhoneNumberRecord[] = [];
    for (const { id } of await SPACES_FROM.rows(this.#db, { accountId, from })) {
      const after = id === page.after?.custSpaceId ? page.after.e164 : undefined;
      rows.push(...(await this.#spaceRows(accountId, id, want - rows.length, after, page.status)));
      if (rows.length >= want) break;
    }
    return pageOf(rows, page.limit);
  }

  /** At most `limit` numbers of the space after `after` (e164), through the list cache. */
  async #spaceRows(
    accountId: string,
    custSpaceId: string,
    limit: number,
    after: string | undefined,
    status: string | undefined,
  ): Promise<readonly PhoneNumberRecord[]> {
    const key = `${accountId}\u0000${custSpaceId}\u0000${status ?? '\u0000'}\u0000${after ?? ''}\u0000${limit}`;
    const records = await this.#lists.get(
      key,
      async () => {
        const statement = PAGES[status === undefined ? 0 : 1]![after === undefined ? 0 : 1]!;
        const rows = await statement.rows(this.#db, {
          accountId,
          custSpaceId,
          status: status ?? '',
          after: after ?? '',
          limit,
        });
        return Object.freeze(rows.map((row) => Object.freeze(toRecord(row))));
      },
      this.#accountWrites[bucketOf(accountId)],
    );
    return records!;
  }

  async list(accountId: string, custSpaceId: string, status?: string): Promise<PhoneNumberRecord[]> {
    // Kept as frozen records: a poll of an unchanged space converts nothing.
    const records = await this.#lists.get(
      `${accountId}\u0000${custSpaceId}\u0000${status ?? '\u0000'}`,
      async () => {
        const rows =
          status === undefined
            ? await LIST.rows(this.#db, { accountId, custSpaceId })
            : await LIST_WITH_STATUS.rows(this.#db, { accountId, custSpaceId, status });
        return Object.freeze(rows.map((row) => Object.freeze(toRecord(row))));
      },
      this.#accountWrites[bucketOf(accountId)],
    );
    return [...records!];
  }
}
