import type { Kysely, Selectable } from 'kysely';
import type { WebhookPayload } from './payload.js';
import type { WebhookEventsTable, WebhookEventStatus, WebhookTables } from './tables.js';

/** An event as the operator sees it (listEvents). */
export interface WebhookEventRecord {
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly type: string;
  readonly status: WebhookEventStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  /** When the next attempt is due (meaningful while pending). */
  readonly nextAttemptAt: string;
  readonly deliveredAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly payload: WebhookPayload;
}

/** One delivery attempt as the operator sees it. */
export interface WebhookAttempt {
  readonly attempt: number;
  readonly at: string;
  /** The event's status after the attempt. */
  readonly outcome: WebhookEventStatus;
  readonly statusCode: number | null;
  readonly error: string | null;
}

export interface WebhookEventFilter {
  readonly status?: WebhookEventStatus;
  /** Newest first; default 100, at most 1000. */
  readonly limit?: number;
}

/** A row waiting for an attempt (`due`). */
export interface DueEvent {
  readonly id: string;
  readonly attempts: number;
  readonly accountId: string;
  readonly url: string;
}

/** A row a dispatcher holds the lease of. */
export interface ClaimedEvent {
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly body: string;
  /** Including the attempt about to be made. */
  readonly attempts: number;
  readonly lockToken: string;
}

export interface AttemptRecord {
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly nowIso: string;
}

type Row = Selectable<WebhookEventsTable>;

/** Due rows read from each end of the queue per poll (`due`). */
const DUE_SCAN_ROWS = 500;

/** Code-unit order, as the database compares these ASCII ids and fixed-width ISO timestamps. */
const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

function toRecord(row: Row): WebhookEventRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    url: row.url,
    type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    payload: JSON.parse(row.body) as WebhookPayload,
  };
}

/** The outbox table. Every write that ends an attempt is conditional on the caller's lease token. */
export class WebhookOutbox {
  readonly #db: Kysely<WebhookTables>;
  readonly #scanRows: number;

  /** `scanRows`: see `due`; tests make it small. */
  constructor(db: Kysely<WebhookTables>, options: { scanRows?: number } = {}) {
    this.#db = db;
    this.#scanRows = options.scanRows ?? DUE_SCAN_ROWS;
  }

  async insert(
    row: { id: string; accountId: string; url: string; type: string; body: string; nowIso: string },
    db: Kysely<WebhookTables> = this.#db,
  ): Promise<void> {
    await db
      .insertInto('webhook_events')
      .values({
        id: row.id,
        account_id: row.accountId,
        url: row.url,
        event_type: row.type,
        body: row.body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: row.nowIso,
        locked_until: null,
        lock_token: null,
        last_status_code: null,
        last_error: null,
        delivered_at: null,
        created_at: row.nowIso,
        updated_at: row.nowIso,
      })
      .execute();
  }

  /**
   * Pending rows that are due and not leased, at most `perAccount` of each account: every account's
   * oldest due first, then every account's second, and so on, so one account's backlog, however long,
   * never fills the answer while another account has a due event. The ranking reads at most
   * `scanRows` of the oldest and `scanRows` of the newest due rows (two ranges of the
   * `webhook_events_due` index): a poll costs the same with a backlog of millions, and the events that
   * became due last (new ones, retries whose backoff just ended) are among the rows read. Only with more
   * than twice `scanRows` rows due does an event in the middle wait until the older ones are claimed.
   */
  async due(nowIso: string, limit: number, perAccount = limit): Promise<DueEvent[]> {
    const read = (direction: 'asc' | 'desc') =>
      this.#db
        .selectFrom('webhook_events')
        .select(['id', 'attempts', 'account_id', 'url', 'next_attempt_at'])
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', nowIso)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
        .orderBy('next_attempt_at', direction)
        .orderBy('id', direction)
        .limit(this.#scanRows)
        .execute();
    const oldest = await read('asc');
    // Fewer than scanRows due: the oldest are all of them.
    const rows = oldest.length < this.#scanRows ? oldest : [...oldest, ...(await read('desc'))];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = [...byId.values()].sort(
      (x, y) => compare(x.next_attempt_at, y.next_attempt_at) || compare(x.id, y.id),
    );
    const seen = new Map<string, number>();
    const ranked: Array<{ rank: number; row: (typeof rows)[number] }> = [];
    for (const row of ordered) {
      const rank = (seen.get(row.account_id) ?? 0) + 1;
      seen.set(row.account_id, rank);
      if (rank <= perAccount) ranked.push({ rank, row });
    }
    // Stable: within one rank, oldest due first.
    ranked.sort((x, y) => x.rank - y.rank);
    return ranked.slice(0, limit).map(({ row }) => ({
      id: row.id,
      attempts: row.attempts,
      accountId: row.account_id,
      url: row.url,
    }));
  }

  /**
   * Moves the next attempt of every due, unleased row for `url` to `untilIso` without attempting it
   * (the receiver's circuit breaker is open): `attempts` is unchanged, `last_error` says why nothing was
   * sent. One UPDATE for the whole backlog of that URL, so the rows leave the due set at once. A row
   * another dispatcher has leased is left alone (PostgreSQL re-checks the WHERE after the row lock, as
   * for `claim`). Returns how many rows it moved.
   */
  async deferUrl(url: string, nowIso: string, untilIso: string, reason: string): Promise<number> {
    const result = await this.#db
      .updateTable('webhook_events')
      .set({ next_attempt_at: untilIso, last_error: reason, updated_at: nowIso })
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where('url', '=', url)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Takes the lease with one conditional UPDATE: of two dispatchers racing for the same row, only the
   * one whose WHERE still matches (same attempt count, no live lease) updates it, on SQLite and on
   * PostgreSQL (which re-checks the WHERE after waiting for the row lock).
   */
  async claim(
    candidate: { id: string; attempts: number },
    nowIso: string,
    leaseUntilIso: string,
    lockToken: string,
  ): Promise<ClaimedEvent | undefined> {
    const row = await this.#db
      .updateTable('webhook_events')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        locked_until: leaseUntilIso,
        lock_token: lockToken,
        updated_at: nowIso,
      }))
      .where('id', '=', candidate.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', candidate.attempts)
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
      .returning(['id', 'account_id', 'url', 'body', 'attempts'])
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      id: row.id,
      accountId: row.account_id,
      url: row.url,
      body: row.body,
      attempts: row.attempts,
      lockToken,
    };
  }

  /** Ends the attempt; false when the lease was lost (expired and taken over), so nothing was written. */
  async finish(
    event: ClaimedEvent,
    status: WebhookEventStatus,
    attempt: AttemptRecord,
    nextAttemptIso?: string,
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('webhook_events')
      .set({
        status,
        last_status_code: attempt.statusCode,
        last_error: attempt.error,
        ...(nextAttemptIso === undefined ? {} : { next_attempt_at: nextAttemptIso }),
        ...(status === 'delivered' ? { delivered_at: attempt.nowIso } : {}),
        locked_until: null,
        lock_token: null,
        updated_at: attempt.nowIso,
      })
      .where('id', '=', event.id)
      .where('lock_token', '=', event.lockToken)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    // The attempt's own row, numbered after the event's earlier ones (a redelivery restarts `attempts`,
    // not the history). Only the lease holder gets here, so two writers never number the same event.
    const last = await this.#db
      .selectFrom('webhook_attempts')
      .select((eb) => eb.fn.max('attempt').as('n'))
      .where('event_id', '=', event.id)
      .executeTakeFirst();
    await this.#db
      .insertInto('webhook_attempts')
      .values({
        event_id: event.id,
        attempt: Number(last?.n ?? 0) + 1,
        at: attempt.nowIso,
        outcome: status,
        status_code: attempt.statusCode,
        error: attempt.error,
      })
      .execute();
    return true;
  }

  /** Every delivery attempt of an account's event, oldest first; undefined when it has no such event. */
  async attempts(accountId: string, eventId: string): Promise<WebhookAttempt[] | undefined> {
    const event = await this.#db
      .selectFrom('webhook_events')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', '=', eventId)
      .executeTakeFirst();
    if (event === undefined) return undefined;
    const rows = await this.#db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('attempt')
      .execute();
    return rows.map((r) => ({
      attempt: r.attempt,
      at: r.at,
      outcome: r.outcome,
      statusCode: r.status_code,
      error: r.error,
    }));
  }

  async list(accountId: string, filter: WebhookEventFilter = {}): Promise<WebhookEventRecord[]> {
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000);
    let query = this.#db.selectFrom('webhook_events').selectAll().where('account_id', '=', accountId);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(toRecord);
  }

  /** How many events wait for delivery (`pending`) and how many were given up on (`failed`). */
  async backlog(): Promise<{ pending: number; failed: number }> {
    const rows = await this.#db
      .selectFrom('webhook_events')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('status', 'in', ['pending', 'failed'])
      .groupBy('status')
      .execute();
    const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { pending: count('pending'), failed: count('failed') };
  }

  /**
   * Puts a finished event (dead-lettered, or delivered and lost by the receiver) back in the queue with
   * a fresh attempt budget. A pending event is left alone: it is being delivered already.
   */
  async requeue(accountId: string, id: string, nowIso: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('webhook_events')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: nowIso,
        delivered_at: null,
        updated_at: nowIso,
      })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .where('status', 'in', ['failed', 'delivered'])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
