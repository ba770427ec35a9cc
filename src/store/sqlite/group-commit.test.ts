import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushWrites, GroupCommitDialect, registerGroupCommit } from './group-commit.js';
import { migrateToLatest } from '../migrate.js';
import type { Database } from '../schema.js';
import { openSqlite } from './open-sqlite.js';
import { WalSync } from './wal-sync.js';

let dir: string;
let db: Kysely<Database>;
let observer: SQLite.Database;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cams-gc-'));
  db = await openSqlite(path.join(dir, 'db.sqlite'), { groupCommit: true });
  // A second connection, as another process would see the file: only committed data is visible to it.
  observer = new SQLite(path.join(dir, 'db.sqlite'), { readonly: true });
});
afterEach(async () => {
  observer.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const account = (id: string) =>
  db
    .insertInto('accounts')
    .values({ id, name: id, subscribed: 1, created_at: '2026-01-01T00:00:00Z' })
    .execute();
const committed = () =>
  (observer.prepare('select id from accounts order by id').all() as Array<{ id: string }>).map((r) => r.id);

describe('group commit', () => {
  it('writes issued together become visible to other connections together, when flushWrites resolves', async () => {
    await Promise.all(['1', '2', '3'].map(account));
    expect(committed()).toEqual([]);
    await flushWrites(db);
    expect(committed()).toEqual(['1', '2', '3']);
  });

  it('a write that returns rows (INSERT ... RETURNING) joins the shared commit like any other', async () => {
    const returned = await db
      .insertInto('accounts')
      .values({ id: 'r', name: 'r', subscribed: 1, created_at: 'x' })
      .returning('id')
      .execute();
    expect(returned).toEqual([{ id: 'r' }]);
    expect(committed()).toEqual([]); // not committed on its own
    await flushWrites(db);
    expect(committed()).toEqual(['r']);
  });

  it('a rolled-back transaction leaves the other writes of the same commit intact', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('accounts')
        .values({ id: 'tx', name: 'tx', subscribed: 1, created_at: 'x' })
        .execute();
      throw new Error('abort');
    });
    await Promise.all([account('a'), expect(failing).rejects.toThrow('abort'), account('b')]);
    await flushWrites(db);
    expect(committed()).toEqual(['a', 'b']);
  });

  it('a failing statement fails only its caller', async () => {
    await account('dup');
    const outcomes = await Promise.allSettled([account('dup'), account('ok')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    await flushWrites(db);
    expect(committed()).toEqual(['dup', 'ok']);
  });

  it('commits on its own at the next turn of the event loop, and runs PRAGMAs outside the shared transaction', async () => {
    await account('x');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(committed()).toEqual(['x']);
    await account('y');
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    expect(committed()).toEqual(['x', 'y']);
    await account('z');
    await sql`PRAGMA synchronous = NORMAL`.execute(db); // refuses even to be prepared in a transaction
    expect(committed()).toEqual(['x', 'y', 'z']);
  });

  it('is immediate for a handle without group commit', async () => {
    const plain = await openSqlite(path.join(dir, 'plain.sqlite'));
    await expect(flushWrites(plain)).resolves.toBeUndefined();
    await plain.destroy();
  });
});

describe('durability off the event loop', () => {
  it('an answer waits for the fsync of the WAL after the commit, not only for the commit', async () => {
    const sqlite = new SQLite(path.join(dir, 'manual.sqlite'));
    sqlite.pragma('journal_mode = WAL');
    const dialect = new GroupCommitDialect(sqlite);
    const manual = new Kysely<Database>({ dialect });
    registerGroupCommit(manual, dialect);
    await migrateToLatest(manual as unknown as Kysely<unknown>);
    await flushWrites(manual);
    const fsyncs: Array<(error: null) => void> = [];
    dialect.syncOffLoop(new WalSync(-1, (_fd, callback) => fsyncs.push(callback)));

    await manual
      .insertInto('accounts')
      .values({ id: 'w', name: 'w', subscribed: 1, created_at: 'x' })
      .execute();
    let acknowledged = false;
    const flushed = flushWrites(manual).then(() => (acknowledged = true));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const reader = new SQLite(path.join(dir, 'manual.sqlite'), { readonly: true });
    expect(reader.prepare('select id from accounts').all()).toEqual([{ id: 'w' }]); // committed
    reader.close();
    expect(fsyncs).toHaveLength(1);
    expect(acknowledged).toBe(false); // ... but not yet durable, so not acknowledged
    // A read-only request arriving now must not answer from data that is not durable yet either.
    let readAcknowledged = false;
    const readFlush = flushWrites(manual).then(() => (readAcknowledged = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(readAcknowledged).toBe(false);
    fsyncs.shift()!(null);
    await Promise.all([flushed, readFlush]);
    expect([acknowledged, readAcknowledged]).toEqual([true, true]);

    // A shared transaction that changed no row (a poll that leased nothing) has nothing to sync.
    await manual.updateTable('accounts').set({ name: 'x' }).where('id', '=', 'nobody').execute();
    await flushWrites(manual);
    expect(fsyncs).toHaveLength(0);

    // ...but its answer may rest on an earlier commit still being synced (an Add refused because the
    // number it found is there): it waits for that fsync too.
    await manual
      .insertInto('accounts')
      .values({ id: 'v', name: 'v', subscribed: 1, created_at: 'x' })
      .execute();
    const written = flushWrites(manual);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fsyncs).toHaveLength(1);
    await manual.updateTable('accounts').set({ name: 'x' }).where('id', '=', 'nobody').execute();
    let noopAcknowledged = false;
    const noop = flushWrites(manual).then(() => (noopAcknowledged = true));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(fsyncs).toHaveLength(1); // nothing new to sync...
    expect(noopAcknowledged).toBe(false); // ...and nothing acknowledged before the pending one is done
    fsyncs.shift()!(null);
    await Promise.all([written, noop]);
    expect(noopAcknowledged).toBe(true);
    await manual.destroy();
  });

  it('the serving handle leaves checkpoints to a worker thread: the WAL reaches the database file', async () => {
    const file = path.join(dir, 'db.sqlite');
    const size = () => statSync(file).size;
    const before = size();
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      id: `acct-${i}`,
      name: 'x'.repeat(200),
      subscribed: 1,
      created_at: '2026-01-01T00:00:00Z',
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('accounts')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    await flushWrites(db);
    const { rows: settings } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(
      db,
    );
    expect(settings[0]!.wal_autocheckpoint).toBe(0); // the serving connection never checkpoints itself
    const deadline = Date.now() + 5000;
    while (size() <= before + 400_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(size()).toBeGreaterThan(before + 400_000);
  });
});

describe('WAL restart under steady writes', () => {
  it('the WAL starts over once it is long, instead of growing with every commit', async () => {
    const file = path.join(dir, 'steady.sqlite');
    const steady = await openSqlite(file, { groupCommit: true, walRestartFrames: 50 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200)); // the checkpointer starts after a second
      const row = (i: number) => ({ id: `a${i}`, name: 'n'.repeat(500), subscribed: 1, created_at: 'x' });
      // Commits back to back for two seconds, as under load: every checkpoint pass overlaps new commits.
      let written = 0;
      let i = 0;
      for (const until = Date.now() + 2000; Date.now() < until;) {
        const rows = Array.from({ length: 20 }, () => row(i++));
        await steady.insertInto('accounts').values(rows).execute();
        await flushWrites(steady);
        written += rows.length * 500;
      }
      const wal = statSync(`${file}-wal`).size;
      expect(written).toBeGreaterThan(2_000_000);
      expect(wal).toBeLessThan(written / 2); // without restarts the WAL holds every page ever written
      const count = await steady
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      expect(Number(count?.n)).toBe(i);
    } finally {
      await steady.destroy();
    }
  });
});
