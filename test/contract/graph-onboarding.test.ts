/**
 * The whole onboarding through the official CAMS SDK with CAMS_UPSTREAM=graph: the service's Graph
 * client talks real HTTP to the HTTP simulator on its own port (over its own store). Failure injection
 * at the network (timeouts, 5xx, 80008) and in Meta's answers (190); after each, a sync leaves the
 * service and upstream with the same numbers, none twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_PRESETS } from '../../src/upstream/simulator/faults.js';
import { NETWORK_FAULTS } from '../../src/upstream/simulator/http/network-faults.js';
import {
  add,
  client,
  deregister,
  e164,
  expectError,
  query,
  queryOne,
  register,
  requestCode,
  verificationStatus,
  verifyAndRegister,
  type Client,
} from '../lifecycle/helpers.js';
import { CamsModels, type TestServer } from '../support/server.js';
import { startGraphServer, type GraphServer } from './graph-server.js';
import type { GraphHarness } from './harness.js';

let g: GraphServer;
let upstream: GraphHarness;
let c: Client;
let space: string;
let waba: string;

beforeAll(async () => {
  g = await startGraphServer({ CAMS_GRAPH_TIMEOUT_MS: '500' });
  expect(g.app.config.demo.enabled).toBe(false);
  await expect(g.app.spaces.create(g.accountId, { name: 'no waba' })).rejects.toThrow(
    '--waba-id is required',
  );
  ({ upstream, custSpaceId: space, wabaId: waba } = g);
  c = client({ endpoint: g.endpoint } as TestServer, g.key);
});

afterAll(() => g?.close());

const sync = async () =>
  (await c.chatappSyncPhoneNumber(new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: space }))).body!
    .phoneNumbers ?? [];

/** After a sync, the service lists exactly the numbers upstream has, each once. */
async function expectInStep(): Promise<string[]> {
  const local = (await sync()).map((n) => n.phoneNumber!).sort();
  const remote = (await upstream.sim.listPhoneNumbers(waba)).map((n) => n.e164).sort();
  expect(local).toEqual(remote);
  expect(new Set(remote).size).toBe(remote.length);
  return local;
}

describe.sequential('onboarding through the SDK against Meta (the HTTP simulator)', () => {
  const A = e164('13800130200');

  it('adds, verifies and registers a number; deregisters and registers it again', async () => {
    expect((await add(c, space, '13800130200')).body).toMatchObject({ code: 'OK' });
    expect(await queryOne(c, space, A)).toMatchObject({
      status: 'PENDING',
      codeVerificationStatus: 'NOT_VERIFIED',
    });
    await requestCode(c, space, A, 'sms', 'zh_CN');
    const [sent] = await upstream.sim.listOutbox({ e164: A });
    expect(sent).toMatchObject({ method: 'SMS', language: 'zh_CN' });
    upstream.clock.advance(upstream.sim.options.nameReviewDelayMs);
    expect((await verifyAndRegister(c, space, A, sent!.code)).body?.code).toBe('OK');
    expect(await verificationStatus(c, space, A)).toMatchObject({ codeVerificationStatus: 'VERIFIED' });
    expect(await queryOne(c, space, A)).toMatchObject({
      status: 'CONNECTED',
      nameStatus: 'Approval',
      qualityRating: 'GREEN',
    });
    expect((await upstream.sim.listPhoneNumbers(waba))[0]).toMatchObject({ e164: A, status: 'CONNECTED' });
    await deregister(c, space, A);
    expect((await upstream.sim.listPhoneNumbers(waba))[0]?.status).toBe('DISCONNECTED');
    await register(c, space, A);
    expect(await queryOne(c, space, A)).toMatchObject({ status: 'CONNECTED' });
    await expectInStep();
  });

  it('a create that timed out after Meta carried it out is found, not repeated', async () => {
    upstream.server.faults.add(NETWORK_FAULTS.slow('createPhoneNumber', 2_000, 'after'));
    expect((await add(c, space, '13800130201')).body).toMatchObject({ code: 'OK' });
    expect(await queryOne(c, space, e164('13800130201'))).toMatchObject({ status: 'PENDING' });
    expect(await expectInStep()).toContain(e164('13800130201'));
  });

  it('a create refused with 503 before it happened is Upstream.Unavailable; adding again works', async () => {
    upstream.server.faults.add(NETWORK_FAULTS.unavailable('createPhoneNumber', 503));
    await expectError(add(c, space, '13800130202'), 'Upstream.Unavailable', 503);
    expect(await expectInStep()).not.toContain(e164('13800130202'));
    expect((await add(c, space, '13800130202')).body).toMatchObject({ code: 'OK' });
    expect(await expectInStep()).toContain(e164('13800130202'));
  });

  it('a read that timed out once is retried; 80008 beyond the wait cap is Upstream.RateLimited', async () => {
    upstream.server.faults.add(NETWORK_FAULTS.slow('listPhoneNumbers', 2_000));
    expect((await sync()).length).toBe(3);
    upstream.server.faults.add(NETWORK_FAULTS.wabaThrottled('listPhoneNumbers', 60));
    await expectError(sync(), 'Upstream.RateLimited', 503, 'WhatsApp error 80008');
    await expectInStep();
  });

  it('an expired token (190) is Upstream.TokenInvalid and creates nothing', async () => {
    await upstream.sim.injectFault({
      operation: 'createPhoneNumber',
      error: FAULT_PRESETS['190']!,
      times: 1,
    });
    await expectError(add(c, space, '13800130203'), 'Upstream.TokenInvalid', 502, 'WhatsApp error 190');
    expect(await expectInStep()).not.toContain(e164('13800130203'));
  });

  it('a number created upstream but unknown here (a crash before the local write) is adopted by a sync', async () => {
    await upstream.sim.createPhoneNumber(waba, {
      cc: '86',
      phoneNumber: '13800130204',
      verifiedName: 'Alibaba Cloud',
    });
    expect(await expectInStep()).toContain(e164('13800130204'));
    await expectError(add(c, space, '13800130204'), 'PhoneNumber.Exists', 400);
    expect((await query(c, space)).length).toBe(4);
  });
});
