import { afterEach, describe, expect, it } from 'vitest';
import { postgresReachable, SKIP_POSTGRES } from '../store/test-support.js';
import { WebhookOutbox } from './outbox.js';
import { testPostgresStore, testStore, type TestStore } from './test-support.js';

/** Every row is due at NOW; `at(s)` is s seconds after midnight, so rows get distinct ages. */
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString();
const NOW = at(50);
const LATER = at(55);
const LEASE = at(58);

async function insert(outbox: WebhookOutbox, id: string, accountId: string, second: number, url?: string) {
  await outbox.insert({
    id,
    accountId,
    url: url ?? `https://${accountId}.example.com/hook`,
    type: 'PhoneNumberStatus',
    body: '{}',
    nowIso: at(second),
  });
}

function fairness(name: string, make: () => TestStore): void {
  describe(`WebhookOutbox fairness on ${name}`, () => {
    let dialect: TestStore;
    afterEach(() => dialect.cleanup());

    async function outbox(): Promise<WebhookOutbox> {
      return new WebhookOutbox(await dialect.open());
    }

    it("a long backlog of one account does not push another account's newer event out of the due list", async () => {
      dialect = make();
      const o = await outbox();
      for (let i = 0; i < 20; i += 1) await insert(o, `a${String(i).padStart(2, '0')}`, 'tenant-a', i);
      await insert(o, 'b00', 'tenant-b', 30);
      await insert(o, 'c00', 'tenant-c', 31);
      await insert(o, 'c01', 'tenant-c', 32);

      // Oldest first would be a00, a01, a02: tenant B and C would wait for all twenty of A's events.
      const ids = (await o.due(NOW, 3, 2)).map((e) => e.id);
      expect(ids).toEqual(['a00', 'b00', 'c00']);
      // With room for more, each account's second-oldest follows, and A never gets more than its share.
      const all = await o.due(NOW, 100, 2);
      expect(all.map((e) => e.id)).toEqual(['a00', 'b00', 'c00', 'a01', 'c01']);
      expect(all[1]).toEqual({
        id: 'b00',
        attempts: 0,
        accountId: 'tenant-b',
        url: 'https://tenant-b.example.com/hook',
      });
    });

    it('reads a bounded part of a long queue, its oldest and newest ends: a fresh event is always seen', async () => {
      dialect = make();
      const o = new WebhookOutbox(await dialect.open(), { scanRows: 4 });
      for (let i = 0; i < 20; i += 1) await insert(o, `a${String(i).padStart(2, '0')}`, 'tenant-a', i);
      await insert(o, 'b-middle', 'tenant-b', 10);
      await insert(o, 'c-fresh', 'tenant-c', 40);
      const ids = (await o.due(NOW, 10, 2)).map((e) => e.id);
      // Read: a00..a03 and the newest four (c-fresh, a19, a18, a17); b-middle is neither.
      expect(ids).toEqual(['a00', 'c-fresh', 'a01']);
      // Once the oldest are claimed, the middle comes within reach.
      for (const id of ['a00', 'a01', 'a02', 'a03', 'a04', 'a05', 'a06', 'a07', 'a08', 'a09']) {
        expect(await o.claim({ id, attempts: 0 }, NOW, LEASE, `t-${id}`)).toBeDefined();
      }
      expect((await o.due(NOW, 10, 2)).map((e) => e.id)).toEqual(['a10', 'b-middle', 'c-fresh', 'a11']);
    });

    it('leaves leased and not yet due rows out of the ranking', async () => {
      dialect = make();
      const o = await outbox();
      await insert(o, 'a0', 'tenant-a', 0);
      await insert(o, 'a1', 'tenant-a', 1);
      await insert(o, 'a2', 'tenant-a', 2);
      const claimed = await o.claim({ id: 'a0', attempts: 0 }, NOW, LEASE, 'token');
      expect(claimed).toBeDefined();
      await o.finish(claimed!, 'pending', { statusCode: 500, error: 'HTTP 500', nowIso: NOW }, LATER);
      await o.claim({ id: 'a1', attempts: 0 }, NOW, LEASE, 'token-2');
      // a0 waits for its retry, a1 is leased: a2 is A's first due row.
      expect((await o.due(NOW, 10, 1)).map((e) => e.id)).toEqual(['a2']);
      expect((await o.due(LATER, 10, 2)).map((e) => e.id)).toEqual(['a2', 'a0']);
    });

    it('deferUrl moves the due rows of one URL without counting an attempt, leaving leased rows and other URLs', async () => {
      dialect = make();
      const o = await outbox();
      const dead = 'https://dead.example.com/hook';
      await insert(o, 'a0', 'tenant-a', 0, dead);
      await insert(o, 'a1', 'tenant-a', 1, dead);
      await insert(o, 'a2', 'tenant-a', 2, dead);
      await insert(o, 'b0', 'tenant-b', 3, dead);
      await insert(o, 'a3', 'tenant-a', 4, 'https://alive.example.com/hook');
      // Leased by another dispatcher: its attempt stands.
      expect(await (await outbox()).claim({ id: 'a1', attempts: 0 }, NOW, LEASE, 'token')).toBeDefined();

      expect(await o.deferUrl(dead, NOW, LATER, 'not attempted: breaker open')).toBe(3);
      const rows = new Map(
        [...(await o.list('tenant-a')), ...(await o.list('tenant-b'))].map((e) => [e.id, e]),
      );
      for (const id of ['a0', 'a2', 'b0']) {
        expect(rows.get(id)).toMatchObject({
          status: 'pending',
          attempts: 0,
          nextAttemptAt: LATER,
          lastError: 'not attempted: breaker open',
        });
      }
      expect(rows.get('a1')).toMatchObject({ attempts: 1, nextAttemptAt: at(1), lastError: null });
      expect(rows.get('a3')).toMatchObject({ attempts: 0, nextAttemptAt: at(4), lastError: null });
      expect((await o.due(NOW, 10)).map((e) => e.id)).toEqual(['a3']);
      // Due again at the end of the cool-down, in the fair order: each account's oldest first.
      expect((await o.due(LATER, 10)).map((e) => e.id)).toEqual(['a3', 'b0', 'a0', 'a2']);
      // Nothing due any more: nothing moved.
      expect(await o.deferUrl(dead, NOW, LATER, 'not attempted: breaker open')).toBe(0);
    });

    it('two dispatchers claiming from their fair lists lease every row once', async () => {
      dialect = make();
      const [a, b] = [await outbox(), await outbox()];
      for (let i = 0; i < 6; i += 1) await insert(a, `a${i}`, 'tenant-a', i);
      for (let i = 0; i < 6; i += 1) await insert(a, `b${i}`, 'tenant-b', 10 + i);
      const claimed: string[] = [];
      for (let round = 0; round < 4; round += 1) {
        const [listA, listB] = await Promise.all([a.due(NOW, 10, 2), b.due(NOW, 10, 2)]);
        const results = await Promise.all([
          ...listA.map((e) => a.claim(e, NOW, LEASE, `a-${round}-${e.id}`)),
          ...listB.map((e) => b.claim(e, NOW, LEASE, `b-${round}-${e.id}`)),
        ]);
        for (const r of results) if (r !== undefined) claimed.push(r.id);
      }
      expect(claimed.sort()).toEqual([
        'a0',
        'a1',
        'a2',
        'a3',
        'a4',
        'a5',
        'b0',
        'b1',
        'b2',
        'b3',
        'b4',
        'b5',
      ]);
    });
  });
}

fairness('SQLite', testStore);
const pgUp = await postgresReachable();
if (pgUp) fairness('PostgreSQL', testPostgresStore);
else describe.skip(`WebhookOutbox fairness on PostgreSQL (${SKIP_POSTGRES})`, () => undefined);
