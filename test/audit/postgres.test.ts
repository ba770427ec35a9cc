/**
 * The audit trail on PostgreSQL, shared by two instances of one deployment: what one records the other
 * (its operator API, and `cams audit` on the same database) reads. Skips where PostgreSQL is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { pruneAuditTrail } from '../../src/store/audit-prune.js';
import type { AuditEvent } from '../../src/store/audit-trail.js';
import {
  postgresReachable,
  scratchSchema,
  SKIP_POSTGRES,
  type ScratchSchema,
} from '../../src/store/test-support.js';
import { newMasterKey } from '../scale/processes.js';
import { camsClient, sdkError, startServer, type TestServer } from '../support/server.js';
import { addRequest, phoneSequence } from '../wire/helpers.js';
import { OPERATOR_TOKEN } from './helpers.js';

const pg = await postgresReachable();
if (!pg) console.warn(`test/audit/postgres.test.ts ${SKIP_POSTGRES}`);

describe.skipIf(!pg)('the audit trail on PostgreSQL, two instances', () => {
  let schema: ScratchSchema;
  let env: Record<string, string>;
  let a: TestServer;
  let b: TestServer;
  const phone = phoneSequence(900);

  beforeAll(async () => {
    schema = await scratchSchema();
    env = {
      CAMS_DATABASE_URL: schema.url,
      CAMS_MASTER_KEY: newMasterKey(),
      CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
      CAMS_SYNC_INTERVAL_MS: '0',
    };
    a = await startServer(env);
    b = await startServer(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await schema?.drop();
  });

  it('each instance reads the events the other recorded', async () => {
    const ok = await camsClient(a, a.root).addChatappPhoneNumber(addRequest(a.root.custSpaceId, phone()));
    const wrong = { accessKeyId: a.root.accessKeyId, accessKeySecret: `${a.root.accessKeySecret}x` };
    const denied = await sdkError(
      camsClient(b, wrong).addChatappPhoneNumber(addRequest(a.root.custSpaceId, phone())),
    );
    expect(denied.code).toBe('SignatureDoesNotMatch');

    // B's operator API sees A's write; A's store sees B's denial.
    const res = await fetch(`http://${b.endpoint}/_admin/audit?account=${a.root.accountId}`, {
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    const { events } = (await res.json()) as { events: AuditEvent[] };
    expect(events.map((e) => [e.requestId, e.code])).toEqual([
      [denied.data!.RequestId, 'SignatureDoesNotMatch'],
      [ok.body!.requestId, 'OK'],
    ]);
    const seenByA = (await a.app.audit.list({ limit: 10, accountId: a.root.accountId })).events;
    expect(seenByA.map((e) => e.requestId)).toEqual(events.map((e) => e.requestId));

    // The CLI on the same database.
    let out = '';
    const code = await runCli(
      ['--data-dir', a.dataDir, 'audit', '--account', a.root.accountId, '--code', 'OK', '--json'],
      { out: (t) => (out += t), err: () => {} },
      env,
    );
    expect(code).toBe(0);
    expect((JSON.parse(out) as { events: AuditEvent[] }).events.map((e) => e.requestId)).toEqual([
      ok.body!.requestId,
    ]);
  });

  it('a prune on one instance removes old events for both, in batches', async () => {
    const at = new Date(Date.now() - 200 * 86_400_000).toISOString();
    for (let i = 0; i < 5; i++)
      await a.app.audit.record({
        at,
        requestId: `OLD-${i}`,
        identity: 'cli',
        action: 'x',
        code: 'OK',
        sourceIp: 'local',
      });
    const before = (await a.app.audit.list({ limit: 100 })).events.length;
    const deleted = await pruneAuditTrail({
      trail: b.app.audit,
      durably: b.app.durably,
      now: () => Date.now(),
      retentionDays: 90,
      batch: 2,
    });
    expect(deleted).toBe(5);
    const after = (await a.app.audit.list({ limit: 100 })).events;
    expect(after).toHaveLength(before - 5);
    expect(after.some((e) => e.requestId.startsWith('OLD-'))).toBe(false);
  });
});
