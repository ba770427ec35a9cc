import type { Kysely } from 'kysely';
import type { SimulatorTables, SimOutboxTable } from './tables.js';
import type { SentCode } from './verification.js';

/**
 * A verification code the simulator "sent" by SMS or voice call (whatsapp-upstream.md §1.5, §1.13 "delivery
 * sink"): the operator reads it here instead of from a handset.
 */
export interface OutboxMessage {
  id: string;
  phoneNumberId: string;
  /** Digits only, country code first. */
  e164: string;
  method: 'SMS' | 'VOICE';
  language: string;
  code: string;
  sentAt: string;
  expiresAt: string;
  /** When verify_code accepted it: a code verifies once (whatsapp-upstream.md §1.5). */
  usedAt?: string;
}

export interface OutboxFilter {
  phoneNumberId?: string;
  /** Digits, with or without a leading '+'. */
  e164?: string;
}

const toMessage = (r: SimOutboxTable): OutboxMessage => ({
  id: r.id,
  phoneNumberId: r.phone_number_id,
  e164: r.e164,
  method: r.method,
  language: r.language,
  code: r.code,
  sentAt: r.sent_at,
  expiresAt: r.expires_at,
  ...(r.used_at === null ? {} : { usedAt: r.used_at }),
});

export async function insertOutbox(db: Kysely<SimulatorTables>, row: SimOutboxTable): Promise<OutboxMessage> {
  await db.insertInto('sim_outbox').values(row).execute();
  return toMessage(row);
}

/** Messages in the order they were sent, optionally for one number. */
export async function listOutbox(
  db: Kysely<SimulatorTables>,
  filter: OutboxFilter = {},
): Promise<OutboxMessage[]> {
  let query = db.selectFrom('sim_outbox').selectAll().orderBy('seq');
  if (filter.phoneNumberId !== undefined) query = query.where('phone_number_id', '=', filter.phoneNumberId);
  if (filter.e164 !== undefined) query = query.where('e164', '=', filter.e164.replace(/^\+/, ''));
  return (await query.execute()).map(toMessage);
}

/** The latest code sent to a number: only that one verifies (a new request_code replaces older codes). */
export async function latestCode(
  db: Kysely<SimulatorTables>,
  phoneNumberId: string,
): Promise<SentCode | undefined> {
  const row = await db
    .selectFrom('sim_outbox')
    .select(['id', 'code', 'sent_at', 'expires_at', 'used_at'])
    .where('phone_number_id', '=', phoneNumberId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    code: row.code,
    sentAt: Date.parse(row.sent_at),
    expiresAt: Date.parse(row.expires_at),
    ...(row.used_at === null ? {} : { usedAt: Date.parse(row.used_at) }),
  };
}

/** Marks a code as used by a successful verify_code. */
export async function markCodeUsed(db: Kysely<SimulatorTables>, id: string, at: number): Promise<void> {
  await db
    .updateTable('sim_outbox')
    .set({ used_at: new Date(at).toISOString() })
    .where('id', '=', id)
    .execute();
}
