/**
 * The examples run (README, "Pointing the official SDK at the server"): one real `cams serve` process
 * started as the README says, with a fresh data directory holding demo-credentials.json, and every
 * examples/*.mjs run against it with `node`, as a user would: a new example is picked up by itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, startInstance, type Instance } from '../scale/processes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples');
const OPERATOR_TOKEN = `examples-${Math.random().toString(36).slice(2)}-token`;

let build: ReturnType<typeof buildServer>;
let server: Instance;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  build = buildServer();
  dataDir = mkdtempSync(path.join(tmpdir(), 'cams-examples-'));
  server = await startInstance(build.dir, {
    CAMS_DATA_DIR: dataDir,
    CAMS_DEMO: 'true',
    CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
    CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true',
  });
  const credentials = path.join(dataDir, 'demo-credentials.json');
  const demo = JSON.parse(readFileSync(credentials, 'utf8')) as { accountId: string };
  // What the webhook example's header says to run: `cams webhook secret --account <AccountId> --json`.
  const secret = spawnSync(
    process.execPath,
    [path.join(build.dir, 'cams.js'), 'webhook', 'secret', '--account', demo.accountId, '--json'],
    { env: { PATH: process.env.PATH, CAMS_DATA_DIR: dataDir, CAMS_LOG_LEVEL: 'warn' }, encoding: 'utf8' },
  );
  expect(secret.status, secret.stderr).toBe(0);
  env = {
    PATH: process.env.PATH ?? '',
    CAMS_DEMO_CREDENTIALS: credentials,
    CAMS_ENDPOINT: server.endpoint,
    CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
    CAMS_WEBHOOK_SECRET: (JSON.parse(secret.stdout) as { secret: string }).secret,
  };
}, 60_000);
afterAll(async () => {
  await server?.stop();
  build?.remove();
});

function runExample(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(EXAMPLES, file)], {
      cwd: EXAMPLES,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What each example must print besides exiting 0; every example file must be listed here. */
const EXPECTED: Record<string, RegExp[]> = {
  'first-call.mjs': [
    /AddChatappPhoneNumber: Code=OK RequestId=\S+/,
    /QueryChatappPhoneNumbers: Code=OK RequestId=\S+/,
    /86139\d{8}: Status=PENDING NameStatus=Pending_Review/,
  ],
  'onboarding.mjs': [
    /code from the outbox: \d{6}/,
    /ChatappVerifyAndRegister: Code=OK/,
    /86139\d{8}: Status=CONNECTED NameStatus=Approval/,
  ],
  'ram-users.mjs': [
    /RAM user reporting-\d+: AccessKeyId=LTAI\w+ \(the secret is answered once\)/,
    /Policies: AliyunCamsReadOnlyAccess/,
  ],
  'sts-credentials.mjs': [
    /AssumeRole: acs:ram::\d+:role\/cams-operator-\d+\/nightly-sync until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
    /QueryChatappPhoneNumbers with the STS token: Code=OK/,
    /GetCallerIdentity: AssumedRoleUser acs:ram::\d+:assumed-role\/cams-operator-\d+\/nightly-sync/,
  ],
  'pop-core.mjs': [/AddChatappPhoneNumber: Code=OK RequestId=\S+/, /86139\d{8}: Status=PENDING/],
  'webhook-receiver.mjs': [/verified event [0-9a-f-]{36}: PhoneNumberStatus .*"NameStatus":"Approval"/],
};

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.mjs'));

describe('examples/', () => {
  it('every example has its expected output listed here', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  // Twice each: fresh numbers on every run, so an example runs again against the same server.
  it.each(files.flatMap((f) => [f, f]))(
    '%s runs against a real server and exits 0',
    async (file) => {
      const result = await runExample(file);
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      for (const pattern of EXPECTED[file] ?? []) expect(result.stdout).toMatch(pattern);
    },
    60_000,
  );
});

describe('README.md', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const sources = files.map((f) => readFileSync(path.join(EXAMPLES, f), 'utf8'));

  it('shows only code that runs: every js block is an example file or a contiguous part of one', () => {
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks)
      expect(
        sources.some((source) => source.includes(block)),
        block,
      ).toBe(true);
  });

  it('the CLI table lists every command group of `cams --help`', () => {
    const help = spawnSync(process.execPath, [path.join(build.dir, 'cams.js'), '--help'], {
      env: { PATH: process.env.PATH, CAMS_DATA_DIR: dataDir },
      encoding: 'utf8',
    }).stdout;
    const groups = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}(\w+)/gm)]
      .map((m) => m[1]!)
      .filter((g) => g !== 'help');
    expect(groups).toEqual(expect.arrayContaining(['serve', 'account', 'sim', 'webhook']));
    const table = readme.slice(
      readme.indexOf('## The CLI'),
      readme.indexOf('\n## ', readme.indexOf('## The CLI') + 1),
    );
    for (const group of groups) expect(table, group).toContain(`| \`cams ${group}`);
  });
});
