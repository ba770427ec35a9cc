import { AdminError } from '../errors/index.js';
import type { AuditEvent, AuditPage, AuditQuery } from '../store/audit-trail.js';

/** The filters of `cams audit` and GET /_admin/audit, as typed: every one optional. */
export interface AuditFilters {
  readonly account?: string | undefined;
  readonly action?: string | undefined;
  readonly code?: string | undefined;
  /** ISO 8601, or a duration back from now: 90s, 15m, 1h, 7d. */
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly limit?: string | undefined;
  /** The `nextCursor` of a previous page. */
  readonly cursor?: string | undefined;
}

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const AGO = /^(\d+)([smhd])$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A time bound: an ISO 8601 date or time, or a duration before `nowMs`; as ISO 8601 UTC. */
function timeBound(name: string, text: string, nowMs: number): string {
  const ago = AGO.exec(text.trim());
  if (ago) return new Date(nowMs - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS]).toISOString();
  const ms = ISO.test(text.trim()) ? Date.parse(text.trim()) : NaN;
  if (Number.isNaN(ms))
    throw new AdminError(
      `${name} must be an ISO 8601 time (2025-01-31T12:00:00Z) or a duration back from now (90s, 15m, 1h, 7d), got "${text}"`,
    );
  return new Date(ms).toISOString();
}

export const encodeCursor = (next: { at: string; id: string }): string =>
  Buffer.from(`${next.at} ${next.id}`, 'utf8').toString('base64url');

function decodeCursor(text: string): { at: string; id: string } {
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split(' ');
  if (at === undefined || id === undefined || rest.length > 0 || Number.isNaN(Date.parse(at)))
    throw new AdminError('cursor is not one this service gave (use the nextCursor of the previous page)');
  return { at, id };
}

/** The operator's filters as a store query; AdminError names what is wrong. */
export function auditQuery(f: AuditFilters, nowMs: number): AuditQuery {
  const limit = f.limit === undefined ? AUDIT_DEFAULT_LIMIT : Number(f.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_MAX_LIMIT)
    throw new AdminError(`limit must be an integer from 1 to ${AUDIT_MAX_LIMIT}, got "${f.limit}"`);
  const present = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  const account = present(f.account);
  const action = present(f.action);
  const code = present(f.code);
  const since = present(f.since);
  const until = present(f.until);
  const cursor = present(f.cursor);
  return {
    limit,
    ...(account === undefined ? {} : { accountId: account }),
    ...(action === undefined ? {} : { action }),
    ...(code === undefined ? {} : { code }),
    ...(since === undefined ? {} : { since: timeBound('since', since, nowMs) }),
    ...(until === undefined ? {} : { until: timeBound('until', until, nowMs) }),
    ...(cursor === undefined ? {} : { after: decodeCursor(cursor) }),
  };
}

/** A page as the operator API and `cams audit --json` give it. */
export interface AuditListing {
  readonly events: AuditEvent[];
  readonly nextCursor?: string;
}

export const auditListing = (page: AuditPage): AuditListing =>
  page.next === undefined
    ? { events: page.events }
    : { events: page.events, nextCursor: encodeCursor(page.next) };
