/**
 * Replay protection across a restart without Redis, on the embedded default (SQLite) and on PostgreSQL
 * (architecture.md, "Replay protection across restarts"): a real `cams serve` takes state-changing
 * requests from the official SDK through a recording relay, is killed (SIGKILL) and started again on
 * the same store, and the captured requests sent again byte for byte are refused with
 * SignatureNonceUsed and change nothing, the way a replay within one process is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { createApp } from '../../src/main.js';
import { CamsModels, type Credentials, type TestServer } from '../support/server.js';
import { addRequest, recordingRelay, type Recorded } from '../wire/helpers.js';
import { clientFor } from './deployment.js';
import { postgresReachable, scratchSchema, SKIP_POSTGRES } from '../../src/store/test-support.js';
import { buildServer, newMasterKey, startInstance, type Instance } from './processes.js';

/** Sends a recorded request again, byte for byte (Host included), to `port`. */
function replay(r: Recorded, port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: r.method, path: r.url, headers: r.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

/** One deployment without Redis: the environment of its instances and of the CLI-like reads. */
interface Store {
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

function replayAfterRestart(open: () => Promise<Store>): void {
  let build: ReturnType<typeof buildServer>;
  let store: Store;
  let root: Credentials & { accountId: string; custSpaceId: string };
  let instance: Instance | undefined;
  const env = () => store.env;
  const openApp = () =>
    createApp(loadConfig({ ...store.env, CAMS_DEMO: 'false' }), { log: createLogger('silent') });

  /** What the store holds, read the way the CLI would, with no server running. */
  async function stored() {
    const app = await openApp();
    try {
      const space = await app.spaceRepo.get(root.accountId, root.custSpaceId);
      const numbers = await app.phoneNumbers.list(root.accountId, root.custSpaceId);
      return { httpFlag: space?.httpFlag, numbers: numbers.map((n) => n.e164) };
    } finally {
      await app.close();
    }
  }

  beforeAll(async () => {
    build = buildServer();
    store = await open();
    const app = await openApp();
    const account = await app.iam.createAccount({ name: 'isv', subscribed: true });
    const key = await app.iam.createAccessKey(account.id);
    const space = await app.spaces.create(account.id, { name: 'acme' });
    root = { ...key, accountId: account.id, custSpaceId: space.id };
    await app.close();
  }, 60_000);

  afterAll(async () => {
    if (instance !== undefined) await instance.signal('SIGTERM');
    build?.remove();
    await store?.dispose();
  });

  it('is refused with SignatureNonceUsed and changes nothing', async () => {
    instance = await startInstance(build.dir, env());
    const relay = await recordingRelay({ port: instance.port } as TestServer);
    let add: Recorded;
    let turnOff: Recorded;
    try {
      const sdk = clientFor(relay.endpoint, root);
      const added = await sdk.addChatappPhoneNumber(addRequest(root.custSpaceId, '13800131234'));
      expect(added.body?.code).toBe('OK');
      await sdk.updateAccountWebhook(
        new CamsModels.UpdateAccountWebhookRequest({ custSpaceId: root.custSpaceId, httpFlag: 'N' }),
      );
      [add, turnOff] = relay.recorded as [Recorded, Recorded];
      // The owner turns HTTP delivery back on: a replay of the captured "off" would undo that.
      await clientFor(instance.endpoint, root).updateAccountWebhook(
        new CamsModels.UpdateAccountWebhookRequest({ custSpaceId: root.custSpaceId, httpFlag: 'Y' }),
      );
    } finally {
      await relay.close();
    }
    // Within the process, as before.
    expect((await replay(turnOff, instance.port)).body.Code).toBe('SignatureNonceUsed');

    // Killed, not stopped: what was answered was durable, its nonces with it.
    await instance.signal('SIGKILL');
    instance = undefined;
    const before = await stored();
    expect(before).toEqual({ httpFlag: 'Y', numbers: ['8613800131234'] });

    instance = await startInstance(build.dir, env());
    for (const captured of [turnOff, add]) {
      const answer = await replay(captured, instance.port);
      expect(answer.status).toBe(400);
      expect(answer.body.Code).toBe('SignatureNonceUsed');
    }
    // The server still answers the owner's new requests.
    const query = await clientFor(instance.endpoint, root).queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: root.custSpaceId }),
    );
    expect(query.body?.code).toBe('OK');
    expect(await instance.signal('SIGTERM')).toBe(0);
    instance = undefined;
    expect(await stored()).toEqual(before);
  }, 60_000);
}

describe('a captured signed request after a restart (SQLite, no Redis)', () => {
  replayAfterRestart(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cams-replay-'));
    return {
      env: { CAMS_DATA_DIR: dataDir },
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  });
});

const pg = await postgresReachable();
describe.skipIf(!pg)(
  `a captured signed request after a restart (PostgreSQL, no Redis${pg ? '' : `; ${SKIP_POSTGRES}`})`,
  () => {
    replayAfterRestart(async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'cams-replay-'));
      const schema = await scratchSchema();
      return {
        env: { CAMS_DATA_DIR: dataDir, CAMS_DATABASE_URL: schema.url, CAMS_MASTER_KEY: newMasterKey() },
        dispose: async () => {
          await schema.drop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    });
  },
);
