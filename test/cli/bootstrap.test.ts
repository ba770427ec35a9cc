import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapDemo, DEMO_FILE } from '../../src/cli/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { createApp, listen } from '../../src/main.js';
import { camsClient, CamsModels } from '../support/server.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'cams-boot-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const quiet = () => createLogger('silent');

describe('first start', () => {
  it('creates a demo account, key and space, writes them owner-only, and they work with the SDK', async () => {
    const app = await createApp(loadConfig({ CAMS_DATA_DIR: dataDir }), { log: quiet() });
    const demo = await bootstrapDemo(app);
    expect(demo).toBeDefined();
    const file = path.join(dataDir, DEMO_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(demo);
    expect(await bootstrapDemo(app)).toBeUndefined();

    const { server, port } = await listen(app, 0);
    try {
      const client = camsClient({ endpoint: `127.0.0.1:${port}` } as never, demo!);
      const res = await client.addChatappPhoneNumber(
        new CamsModels.AddChatappPhoneNumberRequest({
          custSpaceId: demo!.custSpaceId,
          cc: '86',
          phoneNumber: '13800138000',
          verifiedName: 'Demo Shop',
        }),
      );
      expect(res.body?.code).toBe('OK');
    } finally {
      server.close();
      server.closeAllConnections();
      await app.close();
    }
  });

  it('uses fixed demo credentials from the environment', async () => {
    const env = {
      CAMS_DATA_DIR: dataDir,
      CAMS_DEMO_ACCOUNT_ID: '1234567890123456',
      CAMS_DEMO_ACCESS_KEY_ID: 'LTAIciDemoKey0000000001',
      CAMS_DEMO_ACCESS_KEY_SECRET: 'ci-demo-secret-0123456789abcdef',
      CAMS_DEMO_CUST_SPACE_ID: 'cams-ci-space',
    };
    const app = await createApp(loadConfig(env), { log: quiet() });
    try {
      expect(await bootstrapDemo(app)).toEqual({
        accountId: '1234567890123456',
        accessKeyId: 'LTAIciDemoKey0000000001',
        accessKeySecret: 'ci-demo-secret-0123456789abcdef',
        custSpaceId: 'cams-ci-space',
      });
      const resolved = await app.iam.resolveAccessKey('LTAIciDemoKey0000000001');
      expect(resolved?.secret).toBe('ci-demo-secret-0123456789abcdef');
    } finally {
      await app.close();
    }
  });

  it('does nothing when switched off', async () => {
    const app = await createApp(loadConfig({ CAMS_DATA_DIR: dataDir, CAMS_DEMO: 'false' }), { log: quiet() });
    try {
      expect(await bootstrapDemo(app)).toBeUndefined();
      expect(existsSync(path.join(dataDir, DEMO_FILE))).toBe(false);
    } finally {
      await app.close();
    }
  });
});

describe('secrets at rest', () => {
  it('the SQLite files never hold an access key secret in the clear', async () => {
    const app = await createApp(loadConfig({ CAMS_DATA_DIR: dataDir }), { log: quiet() });
    const account = await app.iam.createAccount({ name: 'isv', subscribed: true });
    await app.iam.createUser(account.id, 'ops');
    const secrets = [
      (await app.iam.createAccessKey(account.id)).accessKeySecret,
      (await app.iam.createAccessKey(account.id, { userName: 'ops' })).accessKeySecret,
    ];
    const files = ['cams.sqlite', 'cams.sqlite-wal'].map((f) => path.join(dataDir, f)).filter(existsSync);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(secret).toString('base64')))).toBe(false);
    }
    // ...and yet the service can still authenticate with them.
    const keys = await app.iam.listAccessKeys(account.id);
    expect(await Promise.all(keys.map(async (k) => (await app.iam.resolveAccessKey(k.id))?.secret))).toEqual(
      secrets,
    );
    await app.close();
  });

  it('a different master key is refused at start, and the right one still opens the secrets', async () => {
    const app = await createApp(loadConfig({ CAMS_DATA_DIR: dataDir }), { log: quiet() });
    const account = await app.iam.createAccount({ name: 'isv', subscribed: true });
    const key = await app.iam.createAccessKey(account.id);
    await app.close();
    const wrongKey = { CAMS_DATA_DIR: dataDir, CAMS_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };
    await expect(createApp(loadConfig(wrongKey), { log: quiet() })).rejects.toThrow(
      /not the key this database was written with/,
    );
    const again = await createApp(loadConfig({ CAMS_DATA_DIR: dataDir }), { log: quiet() });
    expect((await again.iam.resolveAccessKey(key.accessKeyId))?.secret).toBe(key.accessKeySecret);
    await again.close();
  });
});
