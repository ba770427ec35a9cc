/**
 * Shared by the tests that need the machine's PostgreSQL or Redis (the scale-out tests): a reachability
 * probe, so those tests skip with a clear message where the services are absent, and a fresh PostgreSQL
 * schema per run, so runs on one database never see each other's rows. No vitest import: plain helpers.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pg from 'pg';

/** Overridable for machines whose services live elsewhere. */
export const TEST_DATABASE_URL =
  process.env.CAMS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.CAMS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when something accepts TCP connections at the URL's host and port within `timeoutMs`. */
export function reachable(url: string, defaultPort: number, timeoutMs = 1000): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export const postgresReachable = () => reachable(TEST_DATABASE_URL, 5432);
export const redisReachable = () => reachable(TEST_REDIS_URL, 6379);

export const SKIP_POSTGRES = `skipped: no PostgreSQL at ${TEST_DATABASE_URL} (set CAMS_TEST_DATABASE_URL)`;
export const SKIP_REDIS = `skipped: no Redis at ${TEST_REDIS_URL} (set CAMS_TEST_REDIS_URL)`;

export interface ScratchSchema {
  readonly name: string;
  /** The test database URL with search_path set to the schema, as CAMS_DATABASE_URL. */
  readonly url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty schema `cams_test_<random>`; `drop` removes it with everything in it. */
export async function scratchSchema(): Promise<ScratchSchema> {
  const name = `cams_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE SCHEMA ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)).then(() => undefined),
  };
}
