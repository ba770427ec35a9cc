import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushWrites } from './group-commit.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite.js';

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
  });

  it('is immediate for a handle without group commit', async () => {
    const plain = await openSqlite(path.join(dir, 'plain.sqlite'));
    await expect(flushWrites(plain)).resolves.toBeUndefined();
    await plain.destroy();
  });
});
