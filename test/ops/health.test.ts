/**
 * /healthz and /readyz on a listening server: JSON, no signature, outside the CAMS action namespace,
 * and a readiness that fails naming the dependency. SDK traffic on the same port is unchanged.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoute } from '../../src/server/health.js';
import { serveRoutes } from '../../src/server/server.js';
import { redisReachable, SKIP_REDIS, TEST_REDIS_URL } from '../../src/store/test-support.js';
import { camsClient, CamsModels, startServer, type TestServer } from '../support/server.js';

const REDIS = await redisReachable();
let s: TestServer | undefined;
let bare: Server | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
  await new Promise<void>((resolve) => (bare ? bare.close(() => resolve()) : resolve()));
  bare = undefined;
});

async function get(base: string, path: string, method = 'GET') {
  const res = await fetch(`${base}${path}`, { method });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: text ? JSON.parse(text) : undefined,
  };
}

describe('health endpoints of a running server', () => {
  it('answer JSON without a signature, and leave the CAMS gateway as it was', async () => {
    s = await startServer();
    const base = `http://${s.endpoint}`;
    expect(await get(base, '/healthz')).toEqual({
      status: 200,
      type: 'application/json;charset=utf-8',
      body: { status: 'ok' },
    });
    const ready = await get(base, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { store: { status: 'ok' } } });
    expect(ready.body.checks.redis).toBeUndefined(); // not configured
    expect((await get(base, '/healthz', 'POST')).status).toBe(405);
    expect((await fetch(`${base}/readyz`, { method: 'HEAD' })).status).toBe(200);
    // The gateway still answers its own paths, and a query string does not turn a CAMS call into a probe.
    const { body } = await camsClient(s, s.root).queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
    );
    expect(body?.code).toBe('OK');
    const unsigned = await fetch(`${base}/?Action=QueryChatappPhoneNumbers&Version=2020-06-06`);
    expect(unsigned.status).toBe(400);
    expect(await unsigned.text()).toMatch(/<Code>Missing\w+<\/Code>/);
  });

  it('/readyz answers 503 naming Redis when Redis cannot be reached, while /healthz stays 200', async () => {
    s = await startServer({ CAMS_REDIS_URL: 'redis://127.0.0.1:1' });
    const base = `http://${s.endpoint}`;
    const ready = await get(base, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'unavailable',
      message: 'not ready: redis did not answer',
      checks: { store: { status: 'ok' }, redis: { status: 'failed', error: 'error' } },
    });
    expect(JSON.stringify(ready.body)).not.toContain('127.0.0.1'); // unauthenticated: no addresses
    expect(s.logs.some((l) => l.msg === 'readiness probe failed' && l.dependency === 'redis')).toBe(true);
    expect((await get(base, '/healthz')).status).toBe(200);
  });

  it.skipIf(!REDIS)(
    REDIS ? '/readyz checks a reachable Redis' : `/readyz checks a reachable Redis (${SKIP_REDIS})`,
    async () => {
      s = await startServer({
        CAMS_REDIS_URL: TEST_REDIS_URL,
        CAMS_REDIS_KEY_PREFIX: `health-${process.pid}:`,
      });
      const ready = await get(`http://${s.endpoint}`, '/readyz');
      expect(ready).toMatchObject({
        status: 200,
        body: { checks: { store: { status: 'ok' }, redis: { status: 'ok' } } },
      });
    },
  );
});

describe('readiness deadline', () => {
  it('a dependency that does not answer in time fails as a timeout; one that throws as an error', async () => {
    const route = healthRoute({
      probes: [
        { name: 'slow', check: () => new Promise(() => {}) },
        { name: 'broken', check: async () => Promise.reject(new Error('password authentication failed')) },
        { name: 'fine', check: async () => 1 },
      ],
      deadlineMs: 100,
      log: pino({ level: 'silent' }),
    });
    bare = serveRoutes([route], pino({ level: 'silent' }));
    await new Promise<void>((resolve) => bare!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    const started = Date.now();
    const ready = await get(base, '/readyz');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ready).toMatchObject({
      status: 503,
      body: {
        message: 'not ready: slow, broken did not answer',
        checks: {
          slow: { status: 'failed', error: 'timeout' },
          broken: { status: 'failed', error: 'error' },
          fine: { status: 'ok' },
        },
      },
    });
    expect(JSON.stringify(ready.body)).not.toContain('password');
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });
});
