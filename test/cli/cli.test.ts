import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'cams-cli-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `cams --data-dir <tmp> ...args` in-process; returns exit code and output. */
async function cams(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(
    ['--data-dir', dataDir, ...args],
    { out: (t) => (out += t), err: (t) => (err += t) },
    {},
  );
  return { code, out, err };
}

async function json<T>(...args: string[]): Promise<T> {
  const r = await cams(...args, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as T;
}

describe('cams admin verbs', () => {
  it('creates and lists accounts, subscribed or not, and switches the subscription', async () => {
    const a = await json<{ id: string; subscribed: boolean }>('account', 'create', '--name', 'isv');
    const b = await json<{ id: string; subscribed: boolean }>(
      'account',
      'create',
      '--name',
      'trial',
      '--unsubscribed',
    );
    expect(a.id).toMatch(/^[1-9]\d{15}$/);
    expect([a.subscribed, b.subscribed]).toEqual([true, false]);
    await json('account', 'subscribe', b.id);
    await json('account', 'unsubscribe', a.id);
    const list = await json<Array<{ id: string; subscribed: boolean }>>('account', 'list');
    expect(Object.fromEntries(list.map((x) => [x.id, x.subscribed]))).toEqual({
      [a.id]: false,
      [b.id]: true,
    });
  });

  it('creates users, keys (secret shown once, never listed), disables keys', async () => {
    const a = await json<{ id: string }>('account', 'create', '--name', 'isv');
    const u = await json<{ id: string; name: string }>('user', 'create', '--account', a.id, '--name', 'ops');
    expect(u.name).toBe('ops');
    const root = await json<{ accessKeyId: string; accessKeySecret: string; userId?: string }>(
      'key',
      'create',
      '--account',
      a.id,
    );
    const userKey = await json<{ accessKeyId: string; userId: string }>(
      'key',
      'create',
      '--account',
      a.id,
      '--user',
      'ops',
    );
    expect(root.accessKeySecret).toHaveLength(30);
    expect(root.userId).toBeUndefined();
    expect(userKey.userId).toBe(u.id);
    await json('key', 'disable', root.accessKeyId, '--account', a.id);
    const keys = await json<Array<Record<string, unknown>>>('key', 'list', '--account', a.id);
    expect(keys.map((k) => [k.id, k.status])).toEqual(
      expect.arrayContaining([
        [root.accessKeyId, 'Inactive'],
        [userKey.accessKeyId, 'Active'],
      ]),
    );
    expect(JSON.stringify(keys)).not.toContain(root.accessKeySecret);
    expect(JSON.stringify(keys)).not.toContain('secret');
  });

  it('creates, attaches and detaches policies, and refuses a malformed document saying why', async () => {
    const a = await json<{ id: string }>('account', 'create', '--name', 'isv');
    await json('user', 'create', '--account', a.id, '--name', 'ops');
    const doc = '{"Version":"1","Statement":[{"Effect":"Deny","Action":"cams:Add*","Resource":"*"}]}';
    await json('policy', 'create', '--account', a.id, '--name', 'NoAdd', '--document', doc);
    const bad = await cams(
      'policy',
      'create',
      '--account',
      a.id,
      '--name',
      'Bad',
      '--document',
      '{"Version":"2","Statement":[]}',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('Version');
    await json('policy', 'attach', '--account', a.id, '--user', 'ops', '--policy', 'NoAdd');
    await json('policy', 'attach', '--account', a.id, '--user', 'ops', '--policy', 'AliyunCamsFullAccess');
    const policies = await json<Array<{ name: string; type: string }>>('policy', 'list', '--account', a.id);
    expect(policies.map((p) => `${p.type}:${p.name}`)).toEqual([
      'System:AliyunCamsFullAccess',
      'System:AliyunCamsReadOnlyAccess',
      'System:AliyunRAMFullAccess',
      'System:AliyunRAMReadOnlyAccess',
      'System:AliyunSTSAssumeRoleAccess',
      'Custom:NoAdd',
    ]);
    await json('policy', 'detach', '--account', a.id, '--user', 'ops', '--policy', 'NoAdd');
    const again = await cams('policy', 'detach', '--account', a.id, '--user', 'ops', '--policy', 'NoAdd');
    expect(again.code).not.toBe(0);
    expect(again.err).toContain('not attached');
  });

  it('creates and lists customer spaces bound to simulator WABAs', async () => {
    const a = await json<{ id: string }>('account', 'create', '--name', 'isv');
    const s1 = await json<{ id: string; wabaId: string }>(
      'space',
      'create',
      '--account',
      a.id,
      '--name',
      'shop',
    );
    const s2 = await json<{ id: string; wabaId: string }>(
      'space',
      'create',
      '--account',
      a.id,
      '--name',
      'fixed',
      '--id',
      'cams-fixed01',
    );
    expect(s1.wabaId).toMatch(/^\d{15,16}$/);
    expect(s2.id).toBe('cams-fixed01');
    expect(s1.wabaId).not.toBe(s2.wabaId);
    const list = await json<Array<{ id: string }>>('space', 'list', '--account', a.id);
    expect(list.map((s) => s.id)).toEqual([s1.id, s2.id]);
    const dup = await cams('space', 'create', '--account', a.id, '--name', 'again', '--id', 'cams-fixed01');
    expect(dup.code).not.toBe(0);
  });

  it('prints a readable table without --json and a clear error for an unknown account', async () => {
    await json('account', 'create', '--name', 'isv');
    const table = await cams('account', 'list');
    expect(table.out.split('\n')[0]).toMatch(/^id\s+name\s+subscribed/);
    const missing = await cams('space', 'list', '--account', '1234567890123456');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no account 1234567890123456');
  });

  it('keeps the master key file owner-only', async () => {
    await json('account', 'create', '--name', 'isv');
    expect(statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe('cams by the conventions of command-line tools', () => {
  it('prints its version with --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const r = await cams(flag);
      expect(r).toEqual({ code: 0, out: `${version}\n`, err: '' });
    }
  });

  it('exits 2 on a usage error and 1 on a failure; with --json the error is JSON on stderr', async () => {
    const usage = await cams('account', 'list', '--no-such-flag');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain("unknown option '--no-such-flag'");
    const usageJson = await cams('account', 'create', '--json');
    expect(usageJson.code).toBe(2);
    expect(JSON.parse(usageJson.err)).toEqual({
      code: 'UsageError',
      message: expect.stringContaining("required option '--name <name>'"),
    });
    await json('account', 'create', '--name', 'isv');
    const failure = await cams('space', 'list', '--account', '1234567890123456', '--json');
    expect(failure.code).toBe(1);
    expect(failure.out).toBe('');
    expect(JSON.parse(failure.err)).toEqual({
      code: 'AdminError',
      message: expect.stringContaining('no account 1234567890123456'),
    });
  });

  it('refuses to read a data directory without a database instead of creating one', async () => {
    const empty = path.join(dataDir, 'elsewhere');
    let err = '';
    const code = await runCli(
      ['--data-dir', empty, 'account', 'list'],
      { out: () => {}, err: (t) => (err += t) },
      {},
    );
    expect(code).toBe(1);
    expect(err).toContain(`no database at ${path.join(empty, 'cams.sqlite')}`);
    expect(existsSync(empty)).toBe(false);
  });

  it('refuses to serve with a bad value, naming the variable, before opening anything', async () => {
    const fresh = path.join(dataDir, 'never-created');
    for (const [env, message] of [
      [{ CAMS_PORT: 'eighty' }, 'CAMS_PORT must be an integer from 0 to 65535, got "eighty"'],
      [{ CAMS_TRUST_PROXY: 'sometimes' }, 'CAMS_TRUST_PROXY must be true or false'],
      [{ CAMS_OPERATOR_TOKEN: 'too-short' }, 'CAMS_OPERATOR_TOKEN must be at least 16 characters'],
    ] as const) {
      let err = '';
      const code = await runCli(
        ['serve'],
        { out: () => {}, err: (t) => (err += t) },
        {
          CAMS_DATA_DIR: fresh,
          ...env,
        },
      );
      expect(code).toBe(1);
      // One line on stderr: the variable, what it accepts.
      expect(err).toMatch(/^cams: [^\n]+\n$/);
      expect(err).toContain(message);
      expect(err).not.toContain('too-short');
    }
    expect(existsSync(fresh)).toBe(false);
  });

  it('names the store a command would use in its --help', async () => {
    const help = await cams('space', 'list', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain(`Store: SQLite ${path.join(dataDir, 'cams.sqlite')} (does not exist yet)`);
  });
});
