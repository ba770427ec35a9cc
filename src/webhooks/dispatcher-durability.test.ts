import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { createLogger } from '../log/logger.js';
import { WebhookDispatcher, type WebhookOptions } from './index.js';
import { startReceiver, testStore, waitFor, type Receiver, type TestStore } from './test-support.js';

const ACCOUNT = '1234567890123456';
const FAST: Partial<WebhookOptions> = {
  timeoutMs: 1_000,
  backoffBaseMs: 50,
  pollIntervalMs: 20,
  leaseMs: 5_000,
  concurrency: 4,
  urlPolicy: { allowLoopback: true, allowPrivate: false },
};

let store: TestStore;
let receiver: Receiver | undefined;
const running: WebhookDispatcher[] = [];
beforeEach(() => {
  store = testStore();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
  await receiver?.close();
  await store.cleanup();
});

/** Each dispatcher gets its own connection to the file, as separate processes would. */
async function dispatcher(db?: Awaited<ReturnType<TestStore['open']>>): Promise<WebhookDispatcher> {
  const d = new WebhookDispatcher({
    db: db ?? (await store.open()),
    box: store.box,
    clock: systemClock,
    log: createLogger('silent'),
    options: FAST,
  });
  running.push(d);
  return d;
}

const event = (url: string, n: number) => ({ url, type: 'NameStatus', data: { Seq: n } });

describe('WebhookDispatcher durability', () => {
  it('delivers events left pending by a stopped dispatcher after a restart on the same database', async () => {
    let up = false;
    receiver = await startReceiver(() => (up ? 204 : 503));
    const db = await store.open();
    const first = await dispatcher(db);
    first.start();
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push((await first.enqueue(ACCOUNT, event(receiver.url, n))).eventId);
    await waitFor(async () =>
      (await first.listEvents(ACCOUNT)).every((e) => e.attempts >= 1 && e.lastError !== null),
    );
    await first.stop();
    // Enqueued while no dispatcher runs: the row alone carries it across the restart.
    ids.push((await first.enqueue(ACCOUNT, event(receiver.url, 3))).eventId);
    await db.destroy();
    const failedSoFar = receiver.requests.length;
    up = true;

    const second = await dispatcher();
    second.start();
    await waitFor(async () => (await second.listEvents(ACCOUNT, { status: 'delivered' })).length === 4);
    const afterRestart = receiver.requests
      .slice(failedSoFar)
      .map((q) => String(q.headers['x-cams-event-id']));
    expect(afterRestart.sort()).toEqual([...ids].sort());
    const events = await second.listEvents(ACCOUNT);
    expect(events.filter((e) => e.id !== ids[3]).every((e) => e.attempts >= 2)).toBe(true);
  });

  it('stop() waits for in-flight deliveries and records them', async () => {
    receiver = await startReceiver(() => 204, 150);
    const d = await dispatcher();
    d.start();
    const { eventId } = await d.enqueue(ACCOUNT, event(receiver.url, 1));
    await waitFor(() => receiver!.requests.length === 1);
    await d.stop();
    expect((await d.listEvents(ACCOUNT))[0]).toMatchObject({ id: eventId, status: 'delivered' });
  });

  it('two dispatchers on one database deliver every event exactly once', async () => {
    receiver = await startReceiver(() => 204, 15);
    const a = await dispatcher();
    const b = await dispatcher();
    const ids = new Set<string>();
    for (let n = 0; n < 24; n++)
      ids.add((await (n % 2 === 0 ? a : b).enqueue(ACCOUNT, event(receiver.url, n))).eventId);
    a.start();
    b.start();
    await waitFor(async () => (await a.listEvents(ACCOUNT, { status: 'delivered' })).length === 24);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const seen = receiver.requests.map((q) => String(q.headers['x-cams-event-id']));
    expect(seen).toHaveLength(24);
    expect(new Set(seen)).toEqual(ids);
    expect((await b.listEvents(ACCOUNT)).every((e) => e.attempts === 1)).toBe(true);
  });

  it('enqueues inside the caller transaction: a rolled-back change sends nothing', async () => {
    receiver = await startReceiver();
    const db = await store.open();
    const d = await dispatcher(db);
    d.start();
    await expect(
      db.transaction().execute(async (trx) => {
        await d.enqueue(ACCOUNT, event(receiver!.url, 1), trx);
        throw new Error('the phone-number update failed');
      }),
    ).rejects.toThrow('the phone-number update failed');
    const { eventId } = await db
      .transaction()
      .execute((trx) => d.enqueue(ACCOUNT, event(receiver!.url, 2), trx));
    await waitFor(() => receiver!.requests.length === 1);
    expect(receiver.requests[0]!.headers['x-cams-event-id']).toBe(eventId);
    expect(await d.listEvents(ACCOUNT)).toHaveLength(1);
  });

  it('lists one account only, newest first, filtered and limited', async () => {
    const d = await dispatcher();
    for (let n = 0; n < 3; n++) await d.enqueue(ACCOUNT, event('https://hooks.example.com/a', n));
    await d.enqueue('6543210987654321', event('https://hooks.example.com/b', 9));
    const events = await d.listEvents(ACCOUNT);
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.accountId === ACCOUNT && e.status === 'pending')).toBe(true);
    expect(await d.listEvents(ACCOUNT, { limit: 2 })).toHaveLength(2);
    expect(await d.listEvents(ACCOUNT, { status: 'delivered' })).toEqual([]);
    expect(events[0]!.payload).toMatchObject({ AccountId: ACCOUNT, EventType: 'NameStatus' });
  });
});
