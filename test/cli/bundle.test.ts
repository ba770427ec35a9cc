import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, CamsModels } from '../support/server.js';

/**
 * `cams` as users run it: bin/cams.js loads the bundle `npm run build` makes (scripts/bundle.mjs), not
 * the sources the other tests import. Built here, so the test checks what the build produces now.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO = {
  CAMS_DEMO_ACCOUNT_ID: '1000000000000001',
  CAMS_DEMO_ACCESS_KEY_ID: 'LTAIbundleTest000001',
  CAMS_DEMO_ACCESS_KEY_SECRET: 'bundleTestSecret0123456789abcd',
  CAMS_DEMO_CUST_SPACE_ID: 'cams-bundle',
};
let dataDir: string;
const cams = (args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin/cams.js'), ...args], {
    env: { ...process.env, CAMS_DATA_DIR: dataDir, CAMS_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });

beforeAll(() => {
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}\n${built.stderr}`);
  dataDir = mkdtempSync(path.join(tmpdir(), 'cams-bundle-'));
}, 120_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the bundled cams command', () => {
  it('runs admin verbs', () => {
    const created = cams(['account', 'create', '--name', 'Bundle Co', '--json']);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const account = JSON.parse(created.stdout) as { id: string; name: string };
    expect(account.name).toBe('Bundle Co');
    const listed = cams(['account', 'list', '--json']);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: account.id, name: 'Bundle Co' }),
    ]);
  });

  it('serves: the official SDK gets an answer from `cams serve` (first start, demo account)', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'cams-bundle-serve-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/cams.js'), 'serve', '--port', '0'], {
      env: { ...process.env, ...DEMO, CAMS_DATA_DIR: fresh, CAMS_DEMO: 'true', CAMS_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let buffered = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const match = /"endpoint":"([^"]+)"[^\n]*"msg":"CAMS gateway listening"/.exec(buffered);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`cams serve exited (${code}): ${buffered}`)));
      });
      const client = camsClient(
        { endpoint } as never,
        {
          accessKeyId: DEMO.CAMS_DEMO_ACCESS_KEY_ID,
          accessKeySecret: DEMO.CAMS_DEMO_ACCESS_KEY_SECRET,
        } as never,
      );
      const res = await client.queryChatappPhoneNumbers(
        new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: DEMO.CAMS_DEMO_CUST_SPACE_ID }),
      );
      expect(res.body?.code).toBe('OK');
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 30_000);
});
