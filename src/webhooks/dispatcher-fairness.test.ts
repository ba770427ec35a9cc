import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { createLogger } from '../log/logger.js';
import { postgresReachable, SKIP_POSTGRES } from '../store/test-support.js';
import { WebhookDispatcher, type WebhookAttemptOutcome, type WebhookOptions } from './index.js';
import {
  startReceiver,
  testPostgresStore,
  testStore,
  waitFor,
  type Behaviour,
  type Receiver,
  type TestStore,
} from './test-support.js';

const FAST: Partial<WebhookOptions> = {
  // Long enough that a hanging receiver holds its slots for the whole test unless it is closed.
  timeoutMs: 10_000,
  backoffBaseMs: 50,
  backoffMaxMs: 200,
  pollIntervalMs: 20,
  leaseMs: 20_000,
  concurrency: 4,
  concurrencyPerAccount: 2,
  concurrencyPerOrigin: 2,
  breakerThreshold: 100,
  urlPolicy: { allowLoopback: true, allowPrivate: false },
};

let store: TestStore;
let receivers: Receiver[];
let dispatchers: WebhookDispatcher[];
beforeEach(() => {
  store = testStore();
  receivers = [];
  dispatchers = [];
});
afterEach(async () => {
  // Receivers first: hanging deliveries end with the connections, so stop() does not wait for timeouts.
  await Promise.all(receivers.map((r) => r.close()));
  await Promise.all(dispatchers.map((d) => d.stop()));
  await store.cleanup();
});

async function receiver(behaviour: (index: number) => Behaviour): Promise<Receiver> {
  const r = await startReceiver(behaviour);
  receivers.push(r);
  return r;
}

async function dispatcher(
  options: Partial<WebhookOptions> = {},
  onAttempt?: (outcome: WebhookAttemptOutcome) => void,
): Promise<WebhookDispatcher> {
  const d = new WebhookDispatcher({
    db: await store.open(),
    box: store.box,
    clock: systemClock,
    log: createLogger('silent'),
    options: { ...FAST, ...options },
    random: () => 0,
    ...(onAttempt ? { onAttempt } : {}),
  });
  dispatchers.push(d);
  return d;
}

const event = (url: string, phoneNumber = '8613800138000') => ({
  url,
  type: 'PhoneNumberStatus',
  data: { PhoneNumber: phoneNumber, Status: 'VERIFIED' },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WebhookDispatcher fairness', () => {
  it("holds one account to its share of the slots: another account's event goes out while it hangs", async () => {
    const tarPit = await receiver(() => 'hang');
    const healthy = await receiver(() => 204);
    const d = await dispatcher();
    d.start();
    for (let i = 0; i < 6; i += 1) await d.enqueue('tenant-a', event(tarPit.url));
    await waitFor(() => tarPit.requests.length === 2);
    const { eventId } = await d.enqueue('tenant-b', event(healthy.url));
    // Two slots of four are still free: B's event does not wait for A's timeouts (10 s).
    await waitFor(() => healthy.requests.length === 1, 2_000);
    expect(healthy.requests[0]!.headers['x-cams-event-id']).toBe(eventId);
    await sleep(100);
    expect(tarPit.requests).toHaveLength(2);
    const a = await d.listEvents('tenant-a');
    expect(a.filter((e) => e.attempts === 1)).toHaveLength(2);
    expect(a.filter((e) => e.attempts === 0)).toHaveLength(4);
  });

  it('holds one receiver origin, whichever accounts use it, to its share of the slots', async () => {
    const shared = await receiver(() => 'hang');
    const healthy = await receiver(() => 204);
    const d = await dispatcher({ concurrency: 8 });
    d.start();
    for (const account of ['tenant-a', 'tenant-b', 'tenant-c']) {
      await d.enqueue(account, event(shared.url));
      await d.enqueue(account, event(shared.url));
    }
    await waitFor(() => shared.requests.length === 2);
    await d.enqueue('tenant-d', event(healthy.url));
    await waitFor(() => healthy.requests.length === 1, 2_000);
    await sleep(100);
    expect(shared.requests).toHaveLength(2);
  });

  it('opens the breaker after consecutive failures: events wait uncounted, a probe follows the cool-down, all arrive', async () => {
    let failing = true;
    const flaky = await receiver(() => (failing ? 503 : 204));
    const outcomes: WebhookAttemptOutcome[] = [];
    const d = await dispatcher(
      { breakerThreshold: 2, breakerCooldownMs: 1_000, concurrencyPerAccount: 1, concurrencyPerOrigin: 1 },
      (outcome) => outcomes.push(outcome),
    );
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await d.enqueue('tenant-a', event(flaky.url))).eventId);
    d.start();
    await waitFor(() => outcomes.includes('breaker_open'));
    // Two failed attempts opened it; the other events were deferred without an attempt.
    const waiting = await d.listEvents('tenant-a');
    expect(waiting.every((e) => e.status === 'pending')).toBe(true);
    const deferred = waiting.filter((e) => e.lastError?.startsWith('not attempted: circuit breaker open'));
    expect(deferred.length).toBeGreaterThanOrEqual(1);
    for (const e of deferred) expect(Date.parse(e.nextAttemptAt)).toBeGreaterThan(Date.now() + 300);
    expect(flaky.requests).toHaveLength(2);

    // Still failing: the probe after the cool-down fails and opens it again, one request, not five.
    await waitFor(() => flaky.requests.length === 3, 3_000);
    await sleep(200);
    expect(flaky.requests).toHaveLength(3);

    failing = false;
    await waitFor(async () => (await d.listEvents('tenant-a')).every((e) => e.status === 'delivered'), 5_000);
    const delivered = await d.listEvents('tenant-a');
    // Every counted attempt is a request the receiver got; each event acknowledged once.
    expect(delivered.reduce((sum, e) => sum + e.attempts, 0)).toBe(flaky.requests.length);
    const acknowledged = flaky.requests.slice(3).map((r) => r.headers['x-cams-event-id']);
    expect([...acknowledged].sort()).toEqual([...ids].sort());
    expect(outcomes.filter((o) => o === 'retry')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'delivered')).toHaveLength(5);
  });
});

/** Two instances on one database: the SQLite file of a single host, or the shared PostgreSQL. */
function twoInstances(name: string, makeStore: () => TestStore): void {
  describe(`two dispatchers on one ${name} database`, () => {
    beforeEach(async () => {
      await store.cleanup();
      store = makeStore();
    });

    it("deliver a healthy tenant's events once each while another's receiver is dead, then the dead one's once it recovers", async () => {
      let dead = true;
      const answered: Array<Behaviour> = [];
      const sick = await receiver(() => {
        const answer: Behaviour = dead ? 'hang' : 204;
        answered.push(answer);
        return answer;
      });
      const healthy = await receiver(() => 204);
      const outcomes: WebhookAttemptOutcome[] = [];
      const options = { timeoutMs: 800, leaseMs: 5_000, breakerThreshold: 2, breakerCooldownMs: 500 };
      const one = await dispatcher(options, (o) => outcomes.push(o));
      const two = await dispatcher(options, (o) => outcomes.push(o));
      const sickIds: string[] = [];
      for (let i = 0; i < 8; i += 1) {
        sickIds.push((await (i % 2 ? one : two).enqueue('tenant-a', event(sick.url))).eventId);
      }
      one.start();
      two.start();
      await waitFor(() => sick.requests.length >= 2);

      const healthyIds: string[] = [];
      for (let i = 0; i < 8; i += 1) {
        healthyIds.push((await (i % 2 ? one : two).enqueue('tenant-b', event(healthy.url))).eventId);
      }
      await waitFor(() => healthy.requests.length >= 8, 3_000);
      await waitFor(async () => (await one.listEvents('tenant-b')).every((e) => e.status === 'delivered'));
      const seen = healthy.requests.map((r) => String(r.headers['x-cams-event-id']));
      expect(seen.sort()).toEqual([...healthyIds].sort());

      await waitFor(() => outcomes.includes('breaker_open'), 5_000);
      dead = false;
      await waitFor(
        async () => (await two.listEvents('tenant-a')).every((e) => e.status === 'delivered'),
        10_000,
      );
      const events = await one.listEvents('tenant-a');
      // Each attempt counted is one request the receiver got, and each event was acknowledged once.
      expect(events.reduce((sum, e) => sum + e.attempts, 0)).toBe(sick.requests.length);
      const acknowledged = sick.requests
        .filter((_, index) => answered[index] === 204)
        .map((r) => String(r.headers['x-cams-event-id']));
      expect(acknowledged.sort()).toEqual([...sickIds].sort());
      expect(healthy.requests).toHaveLength(8);
    });
  });
}

twoInstances('SQLite', testStore);
if (await postgresReachable()) twoInstances('PostgreSQL', testPostgresStore);
else describe.skip(`two dispatchers on one PostgreSQL database (${SKIP_POSTGRES})`, () => undefined);
