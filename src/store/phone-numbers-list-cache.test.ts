import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newPhoneNumberRecord } from '../domain/number-state.js';
import { flushWrites } from './sqlite/group-commit.js';
import { PhoneNumbersRepo } from './phone-numbers-repo.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite/open-sqlite.js';

const A = '1000000000000001';
let dir: string;
let db: Kysely<Database>;
let repo: PhoneNumbersRepo;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cams-list-'));
  db = await openSqlite(path.join(dir, 'db.sqlite'), { groupCommit: true });
  await db.insertInto('accounts').values({ id: A, name: 'a', subscribed: 1, created_at: 'x' }).execute();
  await db
    .insertInto('cust_spaces')
    .values({ id: 's1', account_id: A, name: 's', waba_id: 'w', created_at: 'x' })
    .execute();
  repo = new PhoneNumbersRepo(db);
  await repo.insert(A, number('13800138000', '101'));
  await flushWrites(db);
});
afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function number(national: string, upstreamId: string) {
  return {
    ...newPhoneNumberRecord({
      accountId: A,
      custSpaceId: 's1',
      cc: '86',
      nationalNumber: national,
      verifiedName: 'Alibaba Cloud',
      nowIso: new Date().toISOString(),
    }),
    upstreamId,
  };
}
const e164s = async (r = repo) => (await r.list(A, 's1')).map((n) => `${n.e164}:${n.status}`);

describe('the cached list of a space (QueryChatappPhoneNumbers)', () => {
  it('is served from memory: a write that bypasses the repository is not seen', async () => {
    expect(await e164s()).toEqual(['8613800138000:PENDING']);
    await db.updateTable('phone_numbers').set({ status: 'CONNECTED' }).execute();
    expect(await e164s()).toEqual(['8613800138000:PENDING']);
  });

  it('shows every write made through any repository over the store at once', async () => {
    expect(await e164s()).toEqual(['8613800138000:PENDING']);
    const other = new PhoneNumbersRepo(db); // e.g. the service's and a test's
    await other.insert(A, number('13800138001', '102'));
    expect(await e164s()).toEqual(['8613800138000:PENDING', '8613800138001:PENDING']);
    const [first] = await repo.list(A, 's1');
    await other.update(A, first!.id, { status: 'CONNECTED' }, new Date().toISOString());
    expect(await e164s()).toEqual(['8613800138000:CONNECTED', '8613800138001:PENDING']);
    await other.delete(A, first!.id);
    expect(await e164s()).toEqual(['8613800138001:PENDING']);
    expect((await repo.list(A, 's1', 'PENDING')).length).toBe(1);
  });

  it('shows a commit made by another process (the CLI) from the next turn of the event loop', async () => {
    expect(await e164s()).toEqual(['8613800138000:PENDING']);
    const cli = new SQLite(path.join(dir, 'db.sqlite'));
    cli.prepare("update phone_numbers set status = 'CONNECTED'").run();
    cli.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await e164s()).toEqual(['8613800138000:CONNECTED']);
  });
});
