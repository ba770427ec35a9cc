import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushWrites } from './sqlite/group-commit.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite/open-sqlite.js';
import { TableCache } from './table-cache.js';

let dir: string;
let db: Kysely<Database>;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cams-tc-'));
  db = await openSqlite(path.join(dir, 'db.sqlite'), { groupCommit: true });
  await db
    .insertInto('accounts')
    .values({ id: 'a', name: 'first', subscribed: 1, created_at: 'x' })
    .execute();
  await flushWrites(db);
});
afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** A cache of account names that counts its reads of the store. */
function accountNames(store: Kysely<Database>, fallbackTtlMs = 0) {
  const cache = new TableCache<string>(store, ['accounts'], { maxEntries: 10, fallbackTtlMs });
  const counter = { reads: 0 };
  const name = (id: string) =>
    cache.get(id, async () => {
      counter.reads++;
      const row = await store.selectFrom('accounts').select('name').where('id', '=', id).executeTakeFirst();
      return row?.name;
    });
  return { name, counter };
}

const rename = (name: string) => db.updateTable('accounts').set({ name }).where('id', '=', 'a').execute();

describe('TableCache on the serving SQLite handle', () => {
  it('serves a value from memory until its table is written', async () => {
    const { name, counter } = accountNames(db);
    expect(await name('a')).toBe('first');
    expect(await name('a')).toBe('first');
    expect(counter.reads).toBe(1);
    await db
      .insertInto('cust_spaces')
      .values({ id: 's', account_id: 'a', name: 's', waba_id: 'w', created_at: 'x' })
      .execute();
    expect(await name('a')).toBe('first');
    expect(counter.reads).toBe(1); // another table's write changes nothing
    await rename('second');
    expect(await name('a')).toBe('second');
    expect(counter.reads).toBe(2);
  });

  it('sees a commit made by another connection (the CLI in another process) from the next turn of the event loop', async () => {
    const { name, counter } = accountNames(db);
    expect(await name('a')).toBe('first');
    const other = new SQLite(path.join(dir, 'db.sqlite'));
    other.prepare("update accounts set name = 'from the CLI' where id = 'a'").run();
    other.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await name('a')).toBe('from the CLI');
    expect(counter.reads).toBe(2);
  });

  it('counts a write that returns rows (INSERT ... RETURNING) against its own table only', async () => {
    const { name, counter } = accountNames(db);
    await name('a');
    await db.insertInto('meta').values({ key: 'c', value: '1' }).returning('value').execute();
    await name('a');
    expect(counter.reads).toBe(1);
    await db
      .updateTable('accounts')
      .set({ name: 'returned' })
      .where('id', '=', 'a')
      .returning('id')
      .execute();
    expect(await name('a')).toBe('returned');
    expect(counter.reads).toBe(2);
  });

  it('does not cache what is absent', async () => {
    const { name, counter } = accountNames(db);
    expect(await name('nobody')).toBeUndefined();
    expect(await name('nobody')).toBeUndefined();
    expect(counter.reads).toBe(2);
  });
});

describe('TableCache on a store that cannot tell what changed', () => {
  it('serves a value for the fallback time only, and not at all without one', async () => {
    const plain = await openSqlite(path.join(dir, 'db.sqlite'));
    try {
      const uncached = accountNames(plain);
      await uncached.name('a');
      await uncached.name('a');
      expect(uncached.counter.reads).toBe(2);

      const timed = accountNames(plain, 40);
      await timed.name('a');
      await timed.name('a');
      expect(timed.counter.reads).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 60));
      await timed.name('a');
      expect(timed.counter.reads).toBe(2);
    } finally {
      await plain.destroy();
    }
  });
});

describe('TableCache bounded by weight', () => {
  it('drops the oldest values to stay under the weight, and keeps no value heavier than a tenth of it', async () => {
    const cache = new TableCache<number[]>(db, [], {
      maxEntries: 100,
      maxWeight: 100,
      weigh: (rows) => rows.length,
      fallbackTtlMs: 0,
    });
    let reads = 0;
    const get = (key: string, size: number) =>
      cache.get(key, async () => {
        reads++;
        return Array.from({ length: size }, (_, i) => i);
      });
    for (let i = 0; i < 12; i++) await get(`k${i}`, 10); // 120 rows: the first two are dropped
    reads = 0;
    await get('k0', 10);
    await get('k11', 10);
    expect(reads).toBe(1); // k0 read again, k11 still kept
    await get('big', 11);
    await get('big', 11);
    expect(reads).toBe(3); // heavier than 10: never kept
  });
});
