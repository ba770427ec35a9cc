/**
 * Shared helpers of the RAM API tests: the official `@alicloud/ram20150501` client, unmodified, pointed
 * at a test server; its errors; RAM users made through the service the CLI uses.
 */
import * as OpenApi from '@alicloud/openapi-core';
import Ram, * as RamModels from '@alicloud/ram20150501';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import {
  postgresReachable,
  scratchSchema,
  SKIP_POSTGRES,
  type ScratchSchema,
} from '../../src/store/test-support.js';
import { startServer, type Credentials, type TestServer } from '../support/server.js';

export { RamModels };

// CommonJS interop differs between Node and vitest: the default import is either the Client class or
// the module object holding it.
const RamClientClass = (typeof Ram === 'function' ? Ram : Ram.default) as typeof Ram.default;
export type RamClient = InstanceType<typeof Ram.default>;

export type Signature = 'V3' | 'V1';

/**
 * The official RAM client: signature V3 (ACS3-HMAC-SHA256) by default; V1 (HMAC-SHA1) with
 * `signatureAlgorithm: 'v2'`, which openapi-core's callApi turns into its RPC request.
 */
export function ramClient(s: TestServer, creds: Credentials, signature: Signature = 'V3'): RamClient {
  return new RamClientClass(
    new OpenApi.$OpenApiUtil.Config({
      accessKeyId: creds.accessKeyId,
      accessKeySecret: creds.accessKeySecret,
      endpoint: s.endpoint,
      protocol: 'http',
      ...(signature === 'V1' ? { signatureAlgorithm: 'v2' } : {}),
    }),
  );
}

/** What openapi-core throws for an HTTP 4xx/5xx. */
export interface RamError {
  code: string;
  statusCode?: number;
  message: string;
  data?: Record<string, unknown> & { statusCode?: number };
  accessDeniedDetail?: Record<string, unknown>;
}

export async function ramError(promise: Promise<unknown>): Promise<RamError> {
  try {
    await promise;
  } catch (error) {
    return error as RamError;
  }
  throw new Error('expected the call to fail');
}

/** Asserts a catalogued error as the RAM SDK reports it. */
export function expectRamError(err: RamError, code: string, status: number, message?: RegExp): void {
  expect({ code: err.code, status: err.statusCode ?? err.data?.statusCode }).toEqual({ code, status });
  if (message !== undefined) expect(err.message).toMatch(message);
}

/** A RAM user of the test account with the given policies, and its key (made as the CLI makes them). */
export async function ramUserWith(
  s: TestServer,
  name: string,
  policies: readonly string[],
): Promise<Credentials> {
  await s.app.iam.createUser(s.root.accountId, name);
  for (const policy of policies) await s.app.iam.attachPolicy(s.root.accountId, name, policy);
  const key = await s.app.iam.createAccessKey(s.root.accountId, { userName: name });
  return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
}

/** The stores every RAM API test runs on: SQLite, and PostgreSQL (a fresh schema) where it is reachable. */
export const pg = await postgresReachable();

/**
 * `body` inside one describe per store, each with its own listening server: SQLite in a fresh data
 * directory; PostgreSQL in a fresh schema, skipped with a message where PostgreSQL is absent.
 */
export function onEveryStore(
  file: string,
  body: (server: () => TestServer, env: () => Record<string, string>) => void,
): void {
  if (!pg) console.warn(`${file} PostgreSQL ${SKIP_POSTGRES}`);
  for (const store of ['SQLite', 'PostgreSQL'] as const) {
    describe.skipIf(store === 'PostgreSQL' && !pg)(store, () => {
      let s: TestServer;
      let schema: ScratchSchema | undefined;
      let env: Record<string, string> = {};
      beforeAll(async () => {
        if (store === 'PostgreSQL') schema = await scratchSchema();
        env = schema === undefined ? {} : { CAMS_DATABASE_URL: schema.url };
        s = await startServer(env);
      });
      afterAll(async () => {
        await s?.close();
        await schema?.drop();
      });
      body(
        () => s,
        () => env,
      );
    });
  }
}

/** Runs the `cams` CLI in-process on the server's data (its directory, and its database when PostgreSQL). */
export async function cli(s: TestServer, env: Record<string, string>, ...args: string[]): Promise<unknown> {
  let out = '';
  let err = '';
  const code = await runCli(
    ['--data-dir', s.dataDir, ...args, '--json'],
    { out: (t) => (out += t), err: (t) => (err += t) },
    env,
  );
  expect({ code, err }).toEqual({ code: 0, err: '' });
  return JSON.parse(out);
}
