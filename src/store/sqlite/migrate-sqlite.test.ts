import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateSqlite } from './migrate-sqlite.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cams-migrate-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tables = (file: string): string[] => {
  const db = new SQLite(file, { readonly: true });
  try {
    const rows = db.prepare("select name from sqlite_master where type = 'table' order by name").all();
    return (rows as Array<{ name: string }>).map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('SQLite migrations, one transaction under the write lock', () => {
  it('leave the database as it was when one fails, and the next run applies them all', async () => {
    const file = path.join(dir, 'db.sqlite');
    const first = { up: async (db: never) => void (await sql`create table a (x integer)`.execute(db)) };
    let fail = true;
    const second = {
      up: async (db: never) => {
        await sql`create table b (x integer)`.execute(db);
        if (fail) throw new Error('disk on fire');
      },
    };
    await expect(migrateSqlite(file, [{ '001-a': first, '002-b': second }])).rejects.toThrow(
      'database migration 002-b failed: Error: disk on fire',
    );
    expect(tables(file)).toEqual([]);

    fail = false;
    await migrateSqlite(file, [{ '001-a': first, '002-b': second }]);
    expect(tables(file)).toEqual(['a', 'b', 'kysely_migration', 'kysely_migration_lock']);
    // Run again: nothing left to do.
    await migrateSqlite(file, [{ '001-a': first, '002-b': second }]);
  });
});
