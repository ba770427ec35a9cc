/**
 * Reading the audit trail (`cams audit`, GET /_admin/audit), the operator's and the CLI's own writes
 * in it, and retention (CAMS_AUDIT_RETENTION_DAYS).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { createApp, startBackground } from '../../src/main.js';
import { pruneAuditTrail } from '../../src/store/audit-prune.js';
import type { AuditEvent } from '../../src/store/audit-trail.js';
import { camsClient, sdkError, startServer, type TestServer } from '../support/server.js';
import { addRequest, phoneSequence, ramUser } from '../wire/helpers.js';
import { auditEvents, OPERATOR_TOKEN } from './helpers.js';

let s: TestServer;
const phone = phoneSequence(800);

beforeAll(async () => {
  s = await startServer({ CAMS_SYNC_INTERVAL_MS: '0', CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN });
  const reader = await ramUser(s, s.root.accountId, 'reader', ['AliyunCamsReadOnlyAccess']);
  await camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone()));
  await sdkError(camsClient(s, reader).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())));
  // Another account's write, which the --account filter leaves out.
  const other = await s.app.iam.createAccount({ name: 'other', subscribed: true });
  const key = await s.app.iam.createAccessKey(other.id);
  const space = await s.app.spaces.create(other.id, { name: 'other space' });
  await camsClient(s, key).addChatappPhoneNumber(addRequest(space.id, phone()));
});
afterAll(() => s.close());

async function cams(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(
    ['--data-dir', s.dataDir, ...args],
    { out: (t) => (out += t), err: (t) => (err += t) },
    {},
  );
  return { code, out, err };
}

async function adminGet(query: string, token = OPERATOR_TOKEN) {
  const res = await fetch(`http://${s.endpoint}/_admin/audit${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as { events: AuditEvent[]; nextCursor?: string } };
}

describe('cams audit', () => {
  it('filters by account, action and Code, newest first, as JSON', async () => {
    const r = await cams('audit', '--account', s.root.accountId, '--json');
    expect(r.code).toBe(0);
    const { events } = JSON.parse(r.out) as { events: AuditEvent[] };
    expect(events.map((e) => e.code)).toEqual(['Ram.PermissionDeny', 'OK']);
    expect(events.every((e) => e.accountId === s.root.accountId)).toBe(true);

    const denied = JSON.parse((await cams('audit', '--code', 'Ram.PermissionDeny', '--json')).out) as {
      events: AuditEvent[];
    };
    expect(denied.events).toHaveLength(1);
    expect(denied.events[0]).toMatchObject({ identity: 'ram:reader', action: 'AddChatappPhoneNumber' });

    const adds = JSON.parse((await cams('audit', '--action', 'AddChatappPhoneNumber', '--json')).out) as {
      events: AuditEvent[];
    };
    expect(adds.events).toHaveLength(3);
  });

  it('filters by time, ISO or relative, and prints a table without --json', async () => {
    const all = await auditEvents(s);
    const recent = JSON.parse((await cams('audit', '--since', '1h', '--json')).out) as { events: unknown[] };
    expect(recent.events.length).toBe(all.length);
    const future = JSON.parse(
      (await cams('audit', '--since', new Date(Date.now() + 60_000).toISOString(), '--json')).out,
    ) as { events: unknown[] };
    expect(future.events).toEqual([]);
    const past = JSON.parse((await cams('audit', '--until', '2000-01-01', '--json')).out) as {
      events: unknown[];
    };
    expect(past.events).toEqual([]);

    const table = await cams('audit', '--account', s.root.accountId);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^at\s+accountId\s+identity\s+accessKeyId\s+action/);
    expect(table.out).toContain('Ram.PermissionDeny');
  });

  it('pages with --limit and --cursor, without skipping or repeating', async () => {
    const all = (await auditEvents(s)).reverse().map((e) => e.id);
    const first = JSON.parse((await cams('audit', '--limit', '2', '--json')).out) as {
      events: AuditEvent[];
      nextCursor: string;
    };
    expect(first.events.map((e) => e.id)).toEqual(all.slice(0, 2));
    const second = JSON.parse(
      (await cams('audit', '--limit', '2', '--cursor', first.nextCursor, '--json')).out,
    ) as { events: AuditEvent[] };
    expect(second.events.map((e) => e.id)).toEqual(all.slice(2, 4));
  });

  it('refuses a bad filter with exit 1 and a JSON error; refuses a missing data directory', async () => {
    const r = await cams('audit', '--since', 'yesterday', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.err)).toMatchObject({ code: 'AdminError', message: expect.stringMatching(/since/) });
    const limit = await cams('audit', '--limit', '0', '--json');
    expect(limit.code).toBe(1);
    const nowhere = await runCli(
      ['--data-dir', path.join(s.dataDir, 'nothing-here'), 'audit'],
      { out: () => {}, err: () => {} },
      {},
    );
    expect(nowhere).toBe(1);
  });

  it("records the CLI's writes with identity cli, whatever their outcome", async () => {
    const created = await cams('user', 'create', '--account', s.root.accountId, '--name', 'ops', '--json');
    expect(created.code).toBe(0);
    const key = await cams('key', 'create', '--account', s.root.accountId, '--user', 'ops', '--json');
    const { accessKeyId, accessKeySecret } = JSON.parse(key.out) as Record<string, string>;
    const failed = await cams(
      'policy',
      'attach',
      '--account',
      s.root.accountId,
      '--user',
      'ops',
      '--policy',
      'NoSuchPolicy',
    );
    expect(failed.code).toBe(1);
    const cli = (await auditEvents(s)).filter((e) => e.identity === 'cli');
    expect(cli.map((e) => [e.action, e.code])).toEqual([
      ['user create', 'OK'],
      ['key create', 'OK'],
      ['policy attach', 'AdminError'],
    ]);
    expect(cli[1]).toMatchObject({ accountId: s.root.accountId, accessKeyId, sourceIp: 'local' });
    expect(JSON.stringify(await s.app.db.selectFrom('audit_events').selectAll().execute())).not.toContain(
      accessKeySecret,
    );
    // Reads are not recorded.
    await cams('user', 'list', '--account', s.root.accountId);
    expect((await auditEvents(s)).filter((e) => e.identity === 'cli')).toHaveLength(3);
  });
});

describe('GET /_admin/audit', () => {
  it('answers the same filters, pages by cursor, and needs the token', async () => {
    const res = await adminGet(`?account=${s.root.accountId}&action=AddChatappPhoneNumber&limit=1`);
    expect(res.status).toBe(200);
    expect(res.body.events).toHaveLength(1);
    expect(res.body.events[0]!.code).toBe('Ram.PermissionDeny');
    const next = await adminGet(
      `?account=${s.root.accountId}&action=AddChatappPhoneNumber&limit=1&cursor=${res.body.nextCursor}`,
    );
    expect(next.body.events[0]!.code).toBe('OK');
    expect(next.body.nextCursor).toBeUndefined();

    const bad = await adminGet('?since=soon');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ Code: 'InvalidParameter' });
    expect((await adminGet('', 'wrong-token-wrong-token')).status).toBe(401);
  });

  it("records the operator's writes (identity operator) and refused tokens, not its reads", async () => {
    const before = (await auditEvents(s)).length;
    await adminGet('');
    expect(await auditEvents(s)).toHaveLength(before); // a read by the operator is not recorded
    const post = (body: unknown, token = OPERATOR_TOKEN) =>
      fetch(`http://${s.endpoint}/_admin/faults`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(
      (await post({ operation: 'register', preset: '133005', phoneNumber: '+8613800138999' })).status,
    ).toBe(201);
    expect((await post({ operation: 'nonsense', preset: '133005' })).status).toBe(400);
    expect((await post({ operation: 'register' }, 'not-the-operator-token')).status).toBe(401);
    const recorded = (await auditEvents(s)).filter((e) => e.action === 'POST /_admin/faults');
    expect(recorded.map((e) => [e.identity, e.code, e.phoneNumber])).toEqual([
      ['operator', 'OK', '8613800138999'],
      ['operator', 'InvalidParameter', undefined],
      ['unknown', 'Unauthorized', undefined],
    ]);
    expect(recorded[0]!.sourceIp).toBe('127.0.0.1');
    const text = JSON.stringify(await s.app.db.selectFrom('audit_events').selectAll().execute());
    expect(text).not.toContain(OPERATOR_TOKEN);
  });
});

describe('retention', () => {
  const old = (days: number, id: string) => ({
    at: new Date(Date.now() - days * 86_400_000).toISOString(),
    requestId: id,
    identity: 'root',
    action: 'AddChatappPhoneNumber',
    code: 'OK',
    sourceIp: '127.0.0.1',
  });

  it('a prune removes the events older than the retention only, in bounded batches', async () => {
    for (let i = 0; i < 7; i++) await s.app.audit.record(old(100 + i, `OLD-${i}`));
    await s.app.audit.record(old(80, 'KEEP'));
    const before = await auditEvents(s);
    const deleted = await pruneAuditTrail({
      trail: s.app.audit,
      durably: s.app.durably,
      now: () => Date.now(),
      retentionDays: 90,
      batch: 3,
    });
    expect(deleted).toBe(7);
    const after = await auditEvents(s);
    expect(after.map((e) => e.requestId)).toEqual(
      before.map((e) => e.requestId).filter((id) => !id.startsWith('OLD-')),
    );
    expect(after.map((e) => e.requestId)).toContain('KEEP');
    // 0 keeps everything.
    expect(
      await pruneAuditTrail({
        trail: s.app.audit,
        durably: s.app.durably,
        now: () => Date.now() + 1e12,
        retentionDays: 0,
      }),
    ).toBe(0);
  });

  it('the serving process prunes at start (CAMS_AUDIT_RETENTION_DAYS) and stops with the background', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cams-audit-'));
    try {
      const config = loadConfig({
        CAMS_DATA_DIR: dataDir,
        CAMS_AUDIT_RETENTION_DAYS: '7',
        CAMS_SYNC_INTERVAL_MS: '0',
      });
      const app = await createApp(config, { log: createLogger('silent') });
      await app.audit.record(old(8, 'OLD'));
      await app.audit.record(old(6, 'NEW'));
      const stop = startBackground(app);
      const deadline = Date.now() + 5000;
      while ((await app.audit.list({ limit: 10 })).events.length > 1 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await stop();
      expect((await app.audit.list({ limit: 10 })).events.map((e) => e.requestId)).toEqual(['NEW']);
      await app.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('CAMS_AUDIT_RETENTION_DAYS defaults to 90 and refuses what is not a whole number of days', () => {
    expect(loadConfig({ CAMS_DATA_DIR: '/tmp/x' }).auditRetentionDays).toBe(90);
    expect(loadConfig({ CAMS_DATA_DIR: '/tmp/x', CAMS_AUDIT_RETENTION_DAYS: '0' }).auditRetentionDays).toBe(
      0,
    );
    expect(() => loadConfig({ CAMS_DATA_DIR: '/tmp/x', CAMS_AUDIT_RETENTION_DAYS: '1.5' })).toThrow(
      /CAMS_AUDIT_RETENTION_DAYS/,
    );
  });
});
