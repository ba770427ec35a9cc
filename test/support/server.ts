import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Cams from '@alicloud/cams20200606';
import * as OpenApi from '@alicloud/openapi-client';
import Pop from '@alicloud/pop-core';
import { OffsetClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { createApp, listen, startBackground, type App } from '../../src/main.js';
import type { FlowLimiter } from '../../src/throttle/flow-limiter.js';
import type { WebhookOptions } from '../../src/webhooks/index.js';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface TestServer {
  app: App;
  clock: OffsetClock;
  port: number;
  endpoint: string;
  dataDir: string;
  /** Every log line the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  root: Credentials & { accountId: string; custSpaceId: string };
  close(): Promise<void>;
}

/**
 * A real server on 127.0.0.1:0 over a fresh data directory, with one subscribed account, its root key
 * and one customer space. The clock is real time plus an offset tests may move.
 */
export async function startServer(
  env: Record<string, string> = {},
  options: { limiter?: FlowLimiter; webhookOptions?: Partial<WebhookOptions> } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cams-test-'));
  const config = loadConfig({ CAMS_DATA_DIR: dataDir, CAMS_PORT: '0', CAMS_LOG_LEVEL: 'info', ...env });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const clock = new OffsetClock();
  const app = await createApp(config, {
    clock,
    log: createLogger('info', sink),
    groupCommit: true,
    metrics: true,
    ...options,
  });
  const account = await app.iam.createAccount({ name: 'test', subscribed: true });
  const key = await app.iam.createAccessKey(account.id);
  const space = await app.spaces.create(account.id, { name: 'space one' });
  const { server, port } = await listen(app, 0);
  const stopBackground = startBackground(app);
  return {
    app,
    clock,
    port,
    endpoint: `127.0.0.1:${port}`,
    dataDir,
    logs,
    root: {
      accountId: account.id,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      custSpaceId: space.id,
    },
    close: async () => {
      await closeServer(server);
      await stopBackground();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// CommonJS interop differs between Node and vitest: the default import is either the Client class or
// the module object holding it.
const CamsClientClass = (typeof Cams === 'function' ? Cams : Cams.default) as typeof Cams.default;
export type CamsClient = InstanceType<typeof Cams.default>;
export * as CamsModels from '@alicloud/cams20200606';

/** The official CAMS client, unmodified: V3 by default, V1 with signatureAlgorithm 'v2'. */
export function camsClient(s: TestServer, creds: Credentials, signatureAlgorithm?: string): CamsClient {
  return new CamsClientClass(
    new OpenApi.Config({
      ...creds,
      endpoint: s.endpoint,
      protocol: 'http',
      ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
    }),
  );
}

/** The official pop-core RPC client (signature V1), GET unless the call says POST. */
export function popClient(s: TestServer, creds: Credentials): InstanceType<typeof Pop> {
  return new Pop({ ...creds, endpoint: `http://${s.endpoint}`, apiVersion: '2020-06-06' });
}

/** What the SDK throws for an HTTP 4xx/5xx (openapi-client: code, statusCode, data). */
export interface SdkError {
  code: string;
  statusCode?: number;
  message: string;
  data?: Record<string, unknown> & { statusCode?: number };
  accessDeniedDetail?: Record<string, unknown>;
}

export async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}
