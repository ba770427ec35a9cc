/**
 * An Add cut by a crash, on PostgreSQL (domain/phone-numbers.ts, the intent lease): a real `cams serve`
 * with CAMS_UPSTREAM=graph against the HTTP simulator is killed with SIGKILL while Meta holds its create,
 * another process is started on the same schema, and the number is recovered through the official SDK
 * once the intent's lease has lapsed: the retried Add answers OK (adopting what Meta created, or
 * creating it), ChatappSyncPhoneNumber sees it, and it is added once. While the lease runs the retry
 * answers PhoneNumber.Exists, "being added", and queries do not list it. The lease is shortened with
 * CAMS_INTENT_LEASE_MS (at least twice CAMS_GRAPH_TIMEOUT_MS) so the test waits seconds, not 30 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { createApp } from '../../src/main.js';
import {
  postgresReachable,
  scratchSchema,
  SKIP_POSTGRES,
  type ScratchSchema,
} from '../../src/store/test-support.js';
import { NETWORK_FAULTS } from '../../src/upstream/simulator/http/network-faults.js';
import { openGraph, TOKEN, type GraphHarness } from '../contract/harness.js';
import { add, client, e164, expectError, query, type Client } from '../lifecycle/helpers.js';
import { CamsModels, type Credentials, type TestServer } from '../support/server.js';
import { buildServer, newMasterKey, startInstance, type Instance } from './processes.js';

const GRAPH_TIMEOUT_MS = 2_000;
const LEASE_MS = 4_000;

const pg = await postgresReachable();
describe.skipIf(!pg)(`an Add cut by a crash on PostgreSQL${pg ? '' : ` (${SKIP_POSTGRES})`}`, () => {
  let build: ReturnType<typeof buildServer>;
  let upstream: GraphHarness;
  let schema: ScratchSchema;
  let env: Record<string, string>;
  let key: Credentials;
  let space: string;
  let waba: string;
  let adminDir: string;
  const running = new Set<Instance>();

  async function start(): Promise<{ instance: Instance; sdk: Client }> {
    const instance = await startInstance(build.dir, env);
    running.add(instance);
    return { instance, sdk: client({ endpoint: instance.endpoint } as TestServer, key) };
  }

  /** SIGKILL once `cut` says the Add is inside Meta's create; resolves with the time of the kill. */
  async function killMidAdd(instance: Instance, sdk: Client, national: string, cut: () => boolean) {
    const inFlight = add(sdk, space, national).then(
      () => 'answered',
      () => 'cut',
    );
    const started = Date.now();
    while (!cut()) {
      if (Date.now() - started > GRAPH_TIMEOUT_MS / 2) throw new Error('the Add never reached Meta');
      await sleep(5);
    }
    await instance.signal('SIGKILL');
    running.delete(instance);
    const killedAt = Date.now();
    expect(await inFlight).toBe('cut');
    return killedAt;
  }

  const listed = async (sdk: Client, national: string) =>
    (await query(sdk, space)).filter((n) => n.phoneNumber === e164(national)).length;
  const atMeta = async (national: string) =>
    (await upstream.sim.listPhoneNumbers(waba)).filter((n) => n.e164 === e164(national)).length;

  beforeAll(async () => {
    build = buildServer();
    upstream = await openGraph();
    schema = await scratchSchema();
    env = {
      CAMS_DATABASE_URL: schema.url,
      CAMS_MASTER_KEY: newMasterKey(),
      CAMS_UPSTREAM: 'graph',
      CAMS_GRAPH_BASE_URL: upstream.server.baseUrl,
      CAMS_GRAPH_ACCESS_TOKEN: TOKEN,
      CAMS_GRAPH_TIMEOUT_MS: String(GRAPH_TIMEOUT_MS),
      CAMS_INTENT_LEASE_MS: String(LEASE_MS),
    };
    adminDir = mkdtempSync(path.join(tmpdir(), 'cams-crash-admin-'));
    const admin = await createApp(loadConfig({ ...env, CAMS_DATA_DIR: adminDir, CAMS_DEMO: 'false' }), {
      log: createLogger('silent'),
    });
    try {
      const account = await admin.iam.createAccount({ name: 'isv', subscribed: true });
      const k = await admin.iam.createAccessKey(account.id);
      key = { accessKeyId: k.accessKeyId, accessKeySecret: k.accessKeySecret };
      waba = await upstream.sim.createWaba('Acme Retail');
      space = (await admin.spaces.create(account.id, { name: 'acme', wabaId: waba })).id;
    } finally {
      await admin.close();
    }
  }, 60_000);

  afterAll(async () => {
    for (const instance of running) await instance.stop();
    await upstream?.close();
    await schema?.drop();
    build?.remove();
    if (adminDir) rmSync(adminDir, { recursive: true, force: true });
  });

  it('Meta created the number, its answer died with the process: the retry adopts it once the lease lapses', async () => {
    const national = '13800135001';
    const a = await start();
    // Meta carries the create out at once and holds its answer.
    upstream.server.faults.add(NETWORK_FAULTS.slow('createPhoneNumber', 60_000, 'after'));
    const killedAt = await killMidAdd(
      a.instance,
      a.sdk,
      national,
      () => upstream.server.faults.pending() === 0,
    );
    await sleep(50);
    expect(await atMeta(national)).toBe(1);

    const b = await start();
    // The first Add may still be creating it (another instance could hold the intent): not yet.
    await expectError(add(b.sdk, space, national), 'PhoneNumber.Exists', 400, 'is being added');
    expect(await listed(b.sdk, national)).toBe(0);

    await sleep(Math.max(0, killedAt + LEASE_MS + 200 - Date.now()));
    expect((await add(b.sdk, space, national)).body).toMatchObject({ code: 'OK' });
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + 5_000);
    expect(await listed(b.sdk, national)).toBe(1);
    const sync = await b.sdk.chatappSyncPhoneNumber(
      new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: space }),
    );
    expect(sync.body?.code).toBe('OK');
    expect(await listed(b.sdk, national)).toBe(1);
    expect(await atMeta(national)).toBe(1);
    // Added once: a second retry is told it exists.
    await expectError(add(b.sdk, space, national), 'PhoneNumber.Exists', 400, 'already exists');
  }, 60_000);

  it('Meta never got the create: a sync drops the lapsed intent and the retried Add creates the number', async () => {
    const national = '13800135002';
    const a = await start();
    // Meta holds the call and never carries it out.
    upstream.server.faults.add(NETWORK_FAULTS.lost('createPhoneNumber', 60_000, 'before'));
    const killedAt = await killMidAdd(
      a.instance,
      a.sdk,
      national,
      () => upstream.server.faults.pending() === 0,
    );
    expect(await atMeta(national)).toBe(0);

    const b = await start();
    await sleep(Math.max(0, killedAt + LEASE_MS + 200 - Date.now()));
    const sync = await b.sdk.chatappSyncPhoneNumber(
      new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: space }),
    );
    expect(sync.body?.code).toBe('OK');
    expect(await listed(b.sdk, national)).toBe(0);
    expect((await add(b.sdk, space, national)).body).toMatchObject({ code: 'OK' });
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + 5_000);
    expect(await listed(b.sdk, national)).toBe(1);
    expect(await atMeta(national)).toBe(1);
  }, 60_000);
});
