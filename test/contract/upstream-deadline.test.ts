/**
 * The upstream budget of a CAMS request (CAMS_UPSTREAM_DEADLINE_MS) with CAMS_UPSTREAM=graph, through the
 * official SDKs at their default timeouts (3 s): when Meta (the HTTP simulator) hangs, the caller gets
 * Upstream.Timeout in time, told the operation may still complete; a retry then finds what Meta did.
 */
import Pop from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORK_FAULTS } from '../../src/upstream/simulator/http/network-faults.js';
import { add, client, e164, expectError, query, type Client } from '../lifecycle/helpers.js';
import { CamsModels, type Credentials, type TestServer } from '../support/server.js';
import { startGraphServer, type GraphServer } from './graph-server.js';
import type { GraphHarness } from './harness.js';

const BUDGET_MS = 1_000;
let g: GraphServer;
let upstream: GraphHarness;
let endpoint: string;
let key: Credentials;
let c: Client;
let space: string;
let waba: string;

beforeAll(async () => {
  // Each attempt may take 10 s (the default): only the request's budget bounds the wait.
  g = await startGraphServer({ CAMS_UPSTREAM_DEADLINE_MS: String(BUDGET_MS) });
  expect(g.app.config.graph.timeoutMs).toBe(10_000);
  ({ upstream, endpoint, key, custSpaceId: space, wabaId: waba } = g);
  c = client({ endpoint } as TestServer, key);
});

afterAll(() => g?.close());

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

describe('the upstream budget of a request', () => {
  it('a hung read answers Upstream.Timeout within the budget, before the SDK gives up', async () => {
    upstream.server.faults.add(NETWORK_FAULTS.slow('listPhoneNumbers', 20_000));
    const sync = c.chatappSyncPhoneNumber(
      new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: space }),
    );
    const { value: err, ms } = await timed(
      expectError(sync, 'Upstream.Timeout', 503, 'may still complete', 'ChatappSyncPhoneNumber'),
    );
    expect(ms).toBeGreaterThanOrEqual(BUDGET_MS - 50);
    expect(ms).toBeLessThan(BUDGET_MS + 1_000);
    expect(err.message).not.toMatch(/timed out after 10000 ms/);
  });

  it('pop-core at its default timeout gets the answer too', async () => {
    upstream.server.faults.add(NETWORK_FAULTS.slow('listPhoneNumbers', 20_000));
    const pop = new Pop({ ...key, endpoint: `http://${endpoint}`, apiVersion: '2020-06-06' });
    const error = await pop
      .request('ChatappSyncPhoneNumber', { CustSpaceId: space }, { method: 'POST' })
      .then(
        () => undefined,
        (e: { code?: string }) => e,
      );
    expect(error?.code).toBe('Upstream.Timeout');
  });

  it('a create Meta carries out too late answers Upstream.Timeout; the retried Add finds it and adds it once', async () => {
    upstream.server.faults.add(NETWORK_FAULTS.slow('createPhoneNumber', 1_500, 'after'));
    await expectError(add(c, space, '13800130300'), 'Upstream.Timeout', 503, 'may still complete');
    // Meta finishes the create on its side; the intent keeps the number invisible until it is found.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await upstream.sim.listPhoneNumbers(waba)).map((n) => n.e164)).toContain(e164('13800130300'));
    expect((await add(c, space, '13800130300')).body).toMatchObject({ code: 'OK' });
    const numbers = (await query(c, space)).filter((n) => n.phoneNumber === e164('13800130300'));
    expect(numbers).toHaveLength(1);
    expect(
      (await upstream.sim.listPhoneNumbers(waba)).filter((n) => n.e164 === e164('13800130300')),
    ).toHaveLength(1);
  });

  it('calls that answer in time are unaffected', async () => {
    expect((await add(c, space, '13800130301')).body).toMatchObject({ code: 'OK' });
    const { ms } = await timed(
      c.chatappSyncPhoneNumber(new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: space })),
    );
    expect(ms).toBeLessThan(BUDGET_MS);
  });
});
