/**
 * One scale-out deployment for a test file: a fresh PostgreSQL schema, a Redis key prefix of its own and
 * a master key shared by its instances, and the SDK pointed at any instance.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { createApp, type App } from '../../src/main.js';
import {
  postgresReachable,
  redisReachable,
  scratchSchema,
  SKIP_POSTGRES,
  SKIP_REDIS,
  TEST_REDIS_URL,
  type ScratchSchema,
} from '../../src/store/test-support.js';
import { camsClient, type CamsClient, type Credentials, type TestServer } from '../support/server.js';
import { newMasterKey } from './processes.js';

/** Why the scale tests cannot run here, or undefined when PostgreSQL and Redis both answer. */
export async function missingServices(): Promise<string | undefined> {
  const [pg, redis] = await Promise.all([postgresReachable(), redisReachable()]);
  const missing = [pg ? undefined : SKIP_POSTGRES, redis ? undefined : SKIP_REDIS].filter(Boolean);
  return missing.length === 0 ? undefined : missing.join('; ');
}

export interface Deployment {
  readonly schema: ScratchSchema;
  readonly redisPrefix: string;
  /** The environment every instance and the CLI of this deployment get. */
  readonly env: Record<string, string>;
  /** Direct access to the shared store, for fixtures (what an operator would do with the CLI). */
  admin(): Promise<App>;
  dispose(): Promise<void>;
}

export async function newDeployment(): Promise<Deployment> {
  const schema = await scratchSchema();
  const redisPrefix = `cams-scale-${randomBytes(6).toString('hex')}:`;
  const env = {
    CAMS_DATABASE_URL: schema.url,
    CAMS_REDIS_URL: TEST_REDIS_URL,
    CAMS_REDIS_KEY_PREFIX: redisPrefix,
    CAMS_MASTER_KEY: newMasterKey(),
  };
  let app: App | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cams-scale-admin-'));
  return {
    schema,
    redisPrefix,
    env,
    async admin() {
      const { CAMS_REDIS_URL: _redis, ...store } = env;
      app ??= await createApp(loadConfig({ ...store, CAMS_DATA_DIR: dataDir, CAMS_DEMO: 'false' }), {
        log: createLogger('silent'),
      });
      return app;
    },
    async dispose() {
      await app?.close();
      await schema.drop();
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The official SDK (signature V3) against one instance. */
export function clientFor(endpoint: string, creds: Credentials): CamsClient {
  return camsClient({ endpoint } as TestServer, creds);
}
