import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { newPhoneNumberRecord } from '../../src/domain/number-state.js';
import { createLogger } from '../../src/log/logger.js';
import { createApp, type App } from '../../src/main.js';
import { PhoneNumbersRepo } from '../../src/store/phone-numbers-repo.js';

/**
 * A customer space may have its own Meta token (sealed at rest). The Graph client uses it for
 * the space's WABA and for that WABA's numbers, even ones this process never listed, and the
 * deployment's token otherwise. A real HTTP endpoint records the Authorization header of each call.
 */
const DEPLOYMENT = 'deployment-token-0123456789';
const OWN = 'space-own-token-abcdefghijklmnop';
const WABA = '102290129340398';
const NUMBER_ID = '555000111222333';

let dir: string;
let meta: Server;
let app: App;
const seen: Array<{ path: string; authorization: string | undefined }> = [];
let accountId: string;

beforeAll(async () => {
  meta = createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const id = (req.url ?? '').split('/')[2]?.split('?')[0];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(req.method === 'GET' ? { id, name: 'Acme', currency: 'USD' } : { success: true }));
  });
  await new Promise<void>((resolve) => meta.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(path.join(tmpdir(), 'cams-token-'));
  const env = {
    CAMS_DATA_DIR: dir,
    CAMS_DEMO: 'false',
    CAMS_UPSTREAM: 'graph',
    CAMS_GRAPH_ACCESS_TOKEN: DEPLOYMENT,
    CAMS_GRAPH_BASE_URL: `http://127.0.0.1:${(meta.address() as AddressInfo).port}`,
  };
  app = await createApp(loadConfig(env), { log: createLogger('silent') });
  accountId = (await app.iam.createAccount({ name: 'isv', subscribed: true })).id;
  const space = await app.spaces.create(accountId, { name: 'acme', id: 'cams-acme', wabaId: WABA });
  await new PhoneNumbersRepo(app.db).insert(accountId, {
    ...newPhoneNumberRecord({
      accountId,
      custSpaceId: space.id,
      cc: '86',
      nationalNumber: '13800138000',
      verifiedName: 'Acme',
      nowIso: new Date().toISOString(),
    }),
    upstreamId: NUMBER_ID,
  });
});
afterAll(async () => {
  await app.close();
  meta.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cams(...args: string[]): Promise<number> {
  return runCli(['--data-dir', dir, ...args], { out: () => undefined, err: () => undefined }, {});
}

const modifyProfile = () =>
  app.services.settings.modifyProfile(
    accountId,
    { custSpaceId: 'cams-acme', e164: '8613800138000' },
    { about: 'Hi' },
  );

describe("a space's own Meta token", () => {
  it("is not used before it is set: the deployment's token is", async () => {
    expect(seen.at(-1)).toEqual({
      path: expect.stringContaining(WABA),
      authorization: `Bearer ${DEPLOYMENT}`,
    });
    await modifyProfile();
    expect(seen.at(-1)).toEqual({
      path: expect.stringContaining(NUMBER_ID),
      authorization: `Bearer ${DEPLOYMENT}`,
    });
  });

  it('set with the CLI, it is used for the WABA and for its numbers, and stored only sealed', async () => {
    expect(await cams('space', 'token', 'cams-acme', '--account', accountId, '--token', OWN)).toBe(0);
    await modifyProfile();
    expect(seen.at(-1)).toEqual({ path: expect.stringContaining(NUMBER_ID), authorization: `Bearer ${OWN}` });
    await app.services.wabas.query(accountId, 'cams-acme');
    expect(seen.at(-1)).toEqual({ path: expect.stringContaining(WABA), authorization: `Bearer ${OWN}` });
    const files = ['cams.sqlite', 'cams.sqlite-wal'].map((f) => path.join(dir, f)).filter(existsSync);
    expect(Buffer.concat(files.map((f) => readFileSync(f))).includes(Buffer.from(OWN))).toBe(false);
  });

  it("cleared, the deployment's token is used again; a space of another account cannot be given one", async () => {
    expect(await cams('space', 'token', 'cams-acme', '--account', accountId, '--clear')).toBe(0);
    await modifyProfile();
    expect(seen.at(-1)?.authorization).toBe(`Bearer ${DEPLOYMENT}`);
    const other = await app.iam.createAccount({ name: 'other', subscribed: true });
    expect(await cams('space', 'token', 'cams-acme', '--account', other.id, '--token', OWN)).toBe(1); // refused: exit 1 (2 is for usage errors)
  });
});
