import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepared, type Arg } from './prepared.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite/open-sqlite.js';

let dir: string;
let db: Kysely<Database>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cams-prep-'));
  db = await openSqlite(path.join(dir, 'db.sqlite'), { groupCommit: true });
  for (const [id, subscribed] of [
    ['a', 1],
    ['b', 0],
    ['c', 1],
  ] as const) {
    await db
      .insertInto('accounts')
      .values({ id, name: `name ${id}`, subscribed, created_at: 'x' })
      .execute();
  }
});
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

// A constant of the query (subscribed = 1, the ordering) next to arguments.
const subscribedExcept = prepared((d: Kysely<Database>, arg: Arg<{ except: string; prefix: string }>) =>
  d
    .selectFrom('accounts')
    .select(['id', 'name'])
    .where('subscribed', '=', 1)
    .where('id', '!=', arg('except'))
    .where('name', 'like', arg('prefix'))
    .orderBy('id'),
);
const rename = prepared((d: Kysely<Database>, arg: Arg<{ id: string; name: string }>) =>
  d
    .updateTable('accounts')
    .set({ name: arg('name') })
    .where('id', '=', arg('id')),
);

describe('prepared queries', () => {
  it('run with each call’s arguments and keep the constants they were built with', async () => {
    expect(await subscribedExcept.rows(db, { except: 'a', prefix: 'name%' })).toEqual([
      { id: 'c', name: 'name c' },
    ]);
    expect(await subscribedExcept.rows(db, { except: 'c', prefix: 'name%' })).toEqual([
      { id: 'a', name: 'name a' },
    ]);
    expect(await subscribedExcept.first(db, { except: 'x', prefix: 'nothing%' })).toBeUndefined();
  });

  it('run inside a transaction too, and report the rows they changed', async () => {
    await db.transaction().execute(async (trx) => {
      expect(await rename.changed(trx, { id: 'b', name: 'renamed' })).toBe(1);
      expect(await rename.changed(trx, { id: 'nobody', name: 'x' })).toBe(0);
    });
    const row = await db.selectFrom('accounts').select('name').where('id', '=', 'b').executeTakeFirst();
    expect(row?.name).toBe('renamed');
  });

  it('inside a transaction, belong to it: a rollback undoes them, and others wait for its end', async () => {
    let outsideDone = false;
    let outside: Promise<number> | undefined;
    await expect(
      db.transaction().execute(async (trx) => {
        expect(await rename.changed(trx, { id: 'c', name: 'doomed' })).toBe(1);
        // A statement of another request, on the store itself, waits for the transaction to end...
        outside = rename.changed(db, { id: 'a', name: 'after' }).then((n) => {
          outsideDone = true;
          return n;
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(outsideDone).toBe(false);
        // ...and the transaction sees its own write.
        expect(await subscribedExcept.rows(trx, { except: 'a', prefix: 'doomed' })).toEqual([
          { id: 'c', name: 'doomed' },
        ]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await outside).toBe(1);
    const names = await db.selectFrom('accounts').select(['id', 'name']).orderBy('id').execute();
    expect(names.find((r) => r.id === 'c')?.name).toBe('name c');
    expect(names.find((r) => r.id === 'a')?.name).toBe('after');
  });
});
