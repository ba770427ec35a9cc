import type { AuditEvent } from '../../src/store/audit-trail.js';
import type { TestServer } from '../support/server.js';

/** Every audit event of the server, oldest first, read from the store. */
export async function auditEvents(s: { app: TestServer['app'] }): Promise<AuditEvent[]> {
  const page = await s.app.audit.list({ limit: 1000 });
  return page.events.reverse();
}

/** Every row of audit_events as stored, every column, for the scan that no secret is kept. */
export async function auditRows(s: { app: TestServer['app'] }): Promise<Array<Record<string, unknown>>> {
  return s.app.db.selectFrom('audit_events').selectAll().execute();
}

export const OPERATOR_TOKEN = 'audit-operator-token-0123';
