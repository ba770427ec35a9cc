import type { Kysely } from 'kysely';
import type { AuditEvent, AuditPage, AuditQuery, AuditTrail, NewAuditEvent } from './audit-trail.js';
import type { Database } from './schema.js';
import { uuidv7 } from './time-ordered-id.js';

const toEvent = (r: Database['audit_events']): AuditEvent => ({
  id: r.id,
  at: r.at,
  requestId: r.request_id,
  ...(r.account_id === null ? {} : { accountId: r.account_id }),
  identity: r.identity,
  ...(r.access_key_id === null ? {} : { accessKeyId: r.access_key_id }),
  action: r.action,
  ...(r.cust_space_id === null ? {} : { custSpaceId: r.cust_space_id }),
  ...(r.phone_number === null ? {} : { phoneNumber: r.phone_number }),
  code: r.code,
  sourceIp: r.source_ip,
});

/** The audit_events table (007-audit), on SQLite and PostgreSQL alike. */
export class AuditRepo implements AuditTrail {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async record(e: NewAuditEvent): Promise<void> {
    await this.#db
      .insertInto('audit_events')
      .values({
        id: uuidv7(Date.parse(e.at)),
        at: e.at,
        request_id: e.requestId,
        account_id: e.accountId ?? null,
        identity: e.identity,
        access_key_id: e.accessKeyId ?? null,
        action: e.action,
        cust_space_id: e.custSpaceId ?? null,
        phone_number: e.phoneNumber ?? null,
        code: e.code,
        source_ip: e.sourceIp,
      })
      .execute();
  }

  /** Newest first, by (at, id): the order of both indexes, and a cursor that never skips a row. */
  async list(query: AuditQuery): Promise<AuditPage> {
    let q = this.#db.selectFrom('audit_events').selectAll();
    if (query.accountId !== undefined) q = q.where('account_id', '=', query.accountId);
    if (query.action !== undefined) q = q.where('action', '=', query.action);
    if (query.code !== undefined) q = q.where('code', '=', query.code);
    if (query.since !== undefined) q = q.where('at', '>=', query.since);
    if (query.until !== undefined) q = q.where('at', '<=', query.until);
    const after = query.after;
    if (after !== undefined)
      q = q.where((eb) =>
        eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]),
      );
    const rows = await q
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const events = rows.slice(0, query.limit).map(toEvent);
    const last = events[events.length - 1];
    return rows.length > query.limit && last !== undefined
      ? { events, next: { at: last.at, id: last.id } }
      : { events };
  }

  async prune(before: string, batch: number): Promise<number> {
    const result = await this.#db
      .deleteFrom('audit_events')
      .where(
        'id',
        'in',
        this.#db.selectFrom('audit_events').select('id').where('at', '<', before).orderBy('at').limit(batch),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
