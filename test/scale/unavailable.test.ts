/**
 * PostgreSQL or Redis unreachable: requests answer the catalogued ServiceUnavailable
 * (503) within a bounded time, not a hang or a crash, and the instance recovers by itself when the service
 * returns. Outages are made with a TCP proxy the test stops and starts in front of the real service, or a
 * closed port; the machine's services are never touched. Skips with the reason where they are absent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../src/store/test-support.js';
import { CamsModels, type Credentials, type SdkError } from '../support/server.js';
import { clientFor, missingServices, newDeployment, type Deployment } from './deployment.js';
import { buildServer, runCams, startInstance, type Instance } from './processes.js';
import { tcpProxy, type TcpProxy } from './tcp-proxy.js';

/** The same URL with the port of a proxy (or a closed port) instead. */
function viaPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

/** One SDK call: its error code (undefined on success), its HTTP status and how long it took. */
async function call(
  endpoint: string,
  creds: Credentials,
  space: string,
): Promise<{ code: string | undefined; status: number | undefined; ms: number }> {
  const started = Date.now();
  try {
    await clientFor(endpoint, creds).queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: space }),
    );
    return { code: undefined, status: 200, ms: Date.now() - started };
  } catch (error) {
    const e = error as SdkError;
    return { code: e.code, status: e.data?.statusCode, ms: Date.now() - started };
  }
}

const missing = await missingServices();
describe.skipIf(missing !== undefined)(
  `PostgreSQL or Redis unreachable${missing ? ` (${missing})` : ''}`,
  () => {
    let build: ReturnType<typeof buildServer>;
    let deployment: Deployment;
    let pgProxy: TcpProxy;
    let redisProxy: TcpProxy;
    const instances: Instance[] = [];
    let root: Credentials & { space: string };

    beforeAll(async () => {
      build = buildServer();
      deployment = await newDeployment();
      const admin = await deployment.admin();
      const account = await admin.iam.createAccount({ name: 'isv', subscribed: true });
      const key = await admin.iam.createAccessKey(account.id);
      root = { ...key, space: (await admin.spaces.create(account.id, { name: 'space' })).id };
      pgProxy = await tcpProxy(Number(new URL(TEST_DATABASE_URL).port || 5432));
      redisProxy = await tcpProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
    }, 60_000);

    afterAll(async () => {
      await Promise.all(instances.map((i) => i.stop()));
      await Promise.all([pgProxy?.stop(), redisProxy?.stop()]);
      await deployment?.dispose();
      build?.remove();
    });

    const start = async (env: Record<string, string>) => {
      const instance = await startInstance(build.dir, { ...deployment.env, ...env });
      instances.push(instance);
      return instance;
    };

    /** Calls until the answer is a success, at most `withinMs`; how long recovery took. */
    const recovers = async (endpoint: string, withinMs: number) => {
      const started = Date.now();
      for (;;) {
        const r = await call(endpoint, root, root.space);
        if (r.code === undefined) return Date.now() - started;
        expect(r.code).toBe('ServiceUnavailable');
        if (Date.now() - started > withinMs) throw new Error(`not recovered after ${withinMs} ms`);
        await sleep(100);
      }
    };

    it('Redis at a closed port: the instance starts, and requests answer 503 ServiceUnavailable at once', async () => {
      const instance = await start({ CAMS_REDIS_URL: 'redis://127.0.0.1:1' });
      for (let i = 0; i < 3; i++) {
        const r = await call(instance.endpoint, root, root.space);
        expect(r).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
        expect(r.ms).toBeLessThan(5000);
      }
      expect(
        instance.logs.some((l) => l.msg === 'Redis unreachable; requests answer ServiceUnavailable'),
      ).toBe(true);
    });

    it('PostgreSQL at a closed port: the instance refuses to start, quickly and saying why', async () => {
      const r = await runCams(build.dir, ['serve', '--port', '0'], {
        ...deployment.env,
        CAMS_DATABASE_URL: viaPort(deployment.schema.url, 1),
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/PostgreSQL at postgres:\/\/.*127\.0\.0\.1:1\/.*ECONNREFUSED/);
      expect(r.ms).toBeLessThan(5000);
    });

    it('Redis, then PostgreSQL, go away and come back: 503 while away, success after', async () => {
      const instance = await start({
        CAMS_DATABASE_URL: viaPort(deployment.schema.url, pgProxy.port),
        CAMS_REDIS_URL: viaPort(TEST_REDIS_URL, redisProxy.port),
      });
      expect((await call(instance.endpoint, root, root.space)).code).toBeUndefined();

      for (const proxy of [redisProxy, pgProxy]) {
        await proxy.stop();
        for (let i = 0; i < 3; i++) {
          const r = await call(instance.endpoint, root, root.space);
          expect(r).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
          expect(r.ms).toBeLessThan(5000);
        }
        await proxy.start();
        expect(await recovers(instance.endpoint, 10_000)).toBeLessThan(10_000);
      }
      expect(instance.logs.filter((l) => l.msg === 'dependency unavailable').length).toBeGreaterThanOrEqual(
        6,
      );
      expect(instance.logs.some((l) => l.msg === 'Redis reachable again')).toBe(true);
      expect(instance.stderr()).toBe(''); // no crash on the way
    });

    it('Redis, then PostgreSQL, stop answering: 503 after the client timeouts, not a hang; success after', async () => {
      const instance = await start({
        CAMS_DATABASE_URL: viaPort(deployment.schema.url, pgProxy.port),
        CAMS_REDIS_URL: viaPort(TEST_REDIS_URL, redisProxy.port),
      });
      expect((await call(instance.endpoint, root, root.space)).code).toBeUndefined();
      for (const proxy of [redisProxy, pgProxy]) {
        proxy.stall();
        const r = await call(instance.endpoint, root, root.space);
        expect(r).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
        // Redis's command timeout is 1 s, PostgreSQL's query timeout 2 s (REDIS_TIMEOUTS, PG_TIMEOUTS): the
        // answer comes before the SDK's own 3-second read timeout.
        expect(r.ms).toBeLessThan(3000);
        proxy.resume();
        expect(await recovers(instance.endpoint, 10_000)).toBeLessThan(10_000);
      }
      expect(instance.stderr()).toBe(''); // no crash on the way
    });
  },
);
