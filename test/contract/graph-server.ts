/**
 * A listening CAMS server with CAMS_UPSTREAM=graph, its Graph client pointed at the HTTP simulator
 * (harness.ts openGraph): one subscribed account with a root key and one customer space bound to a WABA
 * the simulator knows. The reconciler is off (CAMS_SYNC_INTERVAL_MS=0) unless `env` says otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OffsetClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { createApp, listen, type App } from '../../src/main.js';
import type { Credentials } from '../support/server.js';
import { openGraph, TOKEN, type GraphHarness } from './harness.js';

export interface GraphServer {
  /** Meta's side: the HTTP simulator, its network faults and the operator's controls. */
  readonly upstream: GraphHarness;
  readonly app: App;
  /** host:port, as the SDKs take it. */
  readonly endpoint: string;
  readonly accountId: string;
  readonly key: Credentials;
  readonly wabaId: string;
  readonly custSpaceId: string;
  close(): Promise<void>;
}

export async function startGraphServer(env: Record<string, string> = {}): Promise<GraphServer> {
  const upstream = await openGraph();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cams-graph-'));
  const config = loadConfig({
    CAMS_DATA_DIR: dataDir,
    CAMS_PORT: '0',
    CAMS_UPSTREAM: 'graph',
    CAMS_GRAPH_BASE_URL: upstream.server.baseUrl,
    CAMS_GRAPH_ACCESS_TOKEN: TOKEN,
    CAMS_SYNC_INTERVAL_MS: '0',
    ...env,
  });
  const app = await createApp(config, { clock: new OffsetClock(), log: createLogger('silent') });
  const account = await app.iam.createAccount({ name: 'isv', subscribed: true });
  const key = await app.iam.createAccessKey(account.id);
  const wabaId = await upstream.sim.createWaba('Acme Retail');
  const custSpaceId = (await app.spaces.create(account.id, { name: 'acme', wabaId })).id;
  const { server, port } = await listen(app, 0);
  return {
    upstream,
    app,
    endpoint: `127.0.0.1:${port}`,
    accountId: account.id,
    key: { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret },
    wabaId,
    custSpaceId,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
