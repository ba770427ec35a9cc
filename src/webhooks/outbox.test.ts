import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookOutbox } from './outbox.js';
import { testStore, type TestStore } from './test-support.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';
const T2 = '2026-01-01T00:01:00.000Z';
const T3 = '2026-01-01T00:02:00.000Z';

let store: TestStore;
beforeEach(() => {
  store = testStore();
});
afterEach(() => store.cleanup());

async function twoOutboxes(): Promise<[WebhookOutbox, WebhookOutbox]> {
  const a = new WebhookOutbox(await store.open());
  const b = new WebhookOutbox(await store.open());
  await a.insert({
    id: 'e1',
    accountId: 'acc',
    url: 'https://h.example.com/',
    type: 'T',
    body: '{}',
    nowIso: T0,
  });
  return [a, b];
}

describe('WebhookOutbox leases', () => {
  it('leases a due row to exactly one of two claimants on separate connections', async () => {
    const [a, b] = await twoOutboxes();
    const [candidateA] = await a.due(T1, 10);
    const [candidateB] = await b.due(T1, 10);
    const claims = await Promise.all([
      a.claim(candidateA!, T1, T2, 'token-a'),
      b.claim(candidateB!, T1, T2, 'token-b'),
    ]);
    expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
    expect(claims[0]).toMatchObject({ id: 'e1', attempts: 1, lockToken: 'token-a' });
    expect(await b.due(T1, 10)).toEqual([]);
  });

  it('lets another dispatcher take over an expired lease, and then ignores the old holder', async () => {
    const [a, b] = await twoOutboxes();
    const first = await a.claim({ id: 'e1', attempts: 0 }, T1, T2, 'token-a');
    expect(first).toBeDefined();
    expect(await b.claim({ id: 'e1', attempts: 1 }, T1, T3, 'token-b')).toBeUndefined();
    const second = await b.claim({ id: 'e1', attempts: 1 }, T2, T3, 'token-b');
    expect(second).toMatchObject({ attempts: 2 });
    const outcome = { statusCode: 200, error: null, nowIso: T2 };
    expect(await a.finish(first!, 'delivered', outcome)).toBe(false);
    expect(await b.finish(second!, 'delivered', outcome)).toBe(true);
    expect((await b.list('acc'))[0]).toMatchObject({ status: 'delivered', attempts: 2, deliveredAt: T2 });
  });

  it('does not claim a row before its next attempt is due', async () => {
    const [a] = await twoOutboxes();
    const claimed = await a.claim({ id: 'e1', attempts: 0 }, T1, T2, 'token-a');
    await a.finish(claimed!, 'pending', { statusCode: 500, error: 'HTTP 500', nowIso: T1 }, T3);
    expect(await a.due(T2, 10)).toEqual([]);
    expect(await a.claim({ id: 'e1', attempts: 1 }, T2, T3, 'token-b')).toBeUndefined();
    expect(await a.due(T3, 10)).toEqual([
      { id: 'e1', attempts: 1, accountId: 'acc', url: 'https://h.example.com/' },
    ]);
  });
});
