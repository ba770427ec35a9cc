/**
 * The embedded default's nonce cache (throttle/stored-nonce-cache.ts) over the store's request_nonces
 * table (store/request-nonces-repo.ts) on real SQLite, with group commit as `cams serve` opens it, and on
 * PostgreSQL: a state-changing request's nonce survives a new process (a new memory table over the same
 * store), a read's does not touch the store, an expired row is taken over, and the prune deletes only
 * what has expired. The NonceCache contract itself runs in redis-nonce-cache.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_MIGRATIONS } from '../main.js';
import { durably } from '../store/durability.js';
import { openPostgres } from '../store/postgres.js';
import { RequestNoncesRepo } from '../store/request-nonces-repo.js';
import type { Database } from '../store/schema.js';
import { openSqlite } from '../store/sqlite/open-sqlite.js';
import {
  postgresReachable,
  scratchSchema,
  SKIP_POSTGRES,
  type ScratchSchema,
} from '../store/test-support.js';
import { MAX_SKEW_MS } from './nonce-cache.js';
import { StoredNonceCache } from './stored-nonce-cache.js';

const T = 1_700_000_000_000;
const MIN = 60_000;

async function rows(db: Kysely<Database>): Promise<Array<{ access_key_id: string; nonce: string }>> {
  return db.selectFrom('request_nonces').select(['access_key_id', 'nonce']).orderBy('nonce').execute();
}

function storedNonceSuite(open: () => Promise<{ db: Kysely<Database>; close(): Promise<void> }>): void {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let unit: ReturnType<typeof durably>;
  let run = 0;
  /** Access keys of their own per test: the tests share one store. */
  let ak: string;

  beforeAll(async () => {
    ({ db, close } = await open());
    unit = durably(db);
  });
  afterAll(() => close());

  const fresh = () => new StoredNonceCache(new RequestNoncesRepo(db));
  const remember = (cache: StoredNonceCache, nonce: string, stamp: number, now: number, writes: boolean) =>
    unit((u) => cache.remember(ak, nonce, stamp, now, { changesState: writes, atEnd: (w) => u.atEnd(w) }));

  it('refuses the replay of a state-changing request after a restart, until its timestamp fails', async () => {
    ak = `AK-restart-${run++}`;
    expect(await remember(fresh(), 'w', T, T, true)).toBe(true);
    // A new process: its memory is empty, the store remembers.
    expect(await remember(fresh(), 'w', T, T + MIN, true)).toBe(false);
    expect(await remember(fresh(), 'w', T, T + MAX_SKEW_MS, true)).toBe(false);
    // A request stamped later with the nonce is another request: kept anew.
    expect(await remember(fresh(), 'w', T + MAX_SKEW_MS, T + MAX_SKEW_MS + 1, true)).toBe(true);
    expect(await remember(fresh(), 'w', T + MAX_SKEW_MS, T + MAX_SKEW_MS + 1, true)).toBe(false);
  });

  it('after a restart refuses the copies of a captured request, whose timestamp is signed', async () => {
    ak = `AK-copies-${run++}`;
    expect(await remember(fresh(), 'c', T, T, true)).toBe(true);
    expect(await remember(fresh(), 'c', T, T + 1000, true)).toBe(false);
    // The same nonce under another timestamp is another signature, which only the key's holder can
    // make: the new process takes it (the process that saw the first still refuses it, from memory).
    expect(await remember(fresh(), 'c', T + 1000, T + 1000, true)).toBe(true);
  });

  it('refuses a replay within the process without asking the store, and keeps reads out of it', async () => {
    ak = `AK-memory-${run++}`;
    const cache = fresh();
    expect(await remember(cache, 'r', T, T, false)).toBe(true);
    expect(await remember(cache, 'r', T, T, false)).toBe(false);
    // A state-changing replay of a read's nonce is refused by memory alone.
    expect(await remember(cache, 'r', T, T, true)).toBe(false);
    expect((await rows(db)).filter((r) => r.access_key_id === ak)).toEqual([]);
    expect(await remember(cache, 'w', T, T, true)).toBe(true);
    expect((await rows(db)).filter((r) => r.access_key_id === ak)).toEqual([
      { access_key_id: ak, nonce: 'w' },
    ]);
  });

  it('keeps access keys apart', async () => {
    ak = `AK-keys-${run++}`;
    expect(await remember(fresh(), 'same', T, T, true)).toBe(true);
    const other = ak;
    ak = `AK-keys-${run++}`;
    expect(await remember(fresh(), 'same', T, T, true)).toBe(true);
    ak = other;
    expect(await remember(fresh(), 'same', T, T, true)).toBe(false);
  });

  it('prunes only what has expired, in batches', async () => {
    ak = `AK-prune-${run++}`;
    const repo = new RequestNoncesRepo(db);
    const base = T + 100 * MAX_SKEW_MS; // beyond every other test's rows
    for (let i = 0; i < 5; i++)
      expect(await unit(() => repo.claim(ak, `p${i}`, base + i * 1000, base))).toBe(true);
    const mine = async () => (await rows(db)).filter((r) => r.access_key_id === ak).map((r) => r.nonce);
    // At base + 2000 the rows expiring at base and base + 1000 are gone; base + 2000 is still live.
    expect(await unit(() => repo.prune(base + 2000, 1))).toBeGreaterThanOrEqual(1);
    expect(await unit(() => repo.prune(base + 2000, 1000))).toBeGreaterThanOrEqual(0);
    expect(await mine()).toEqual(['p2', 'p3', 'p4']);
    expect(await unit(() => repo.claim(ak, 'p2', base + 2000, base + 2000))).toBe(false);
    expect(await unit(() => repo.prune(base + 10_000, 1000))).toBeGreaterThanOrEqual(3);
    expect(await mine()).toEqual([]);
  });
}

describe('StoredNonceCache on SQLite (group commit, as cams serve opens it)', () => {
  storedNonceSuite(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cams-nonces-'));
    const db = await openSqlite(path.join(dir, 'cams.sqlite'), {
      migrations: APP_MIGRATIONS,
      groupCommit: true,
    });
    return {
      db,
      close: async () => {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

const pg = await postgresReachable();
describe.skipIf(!pg)(`StoredNonceCache on PostgreSQL${pg ? '' : ` (${SKIP_POSTGRES})`}`, () => {
  storedNonceSuite(async () => {
    const schema: ScratchSchema = await scratchSchema();
    const db = await openPostgres(schema.url, { migrations: APP_MIGRATIONS });
    return {
      db,
      close: async () => {
        await db.destroy();
        await schema.drop();
      },
    };
  });

  it('of two instances racing with one nonce, exactly one wins', async () => {
    const schema = await scratchSchema();
    const a = await openPostgres(schema.url, { migrations: APP_MIGRATIONS });
    const b = await openPostgres(schema.url, { migrations: APP_MIGRATIONS });
    try {
      for (let i = 0; i < 20; i++) {
        const wins = await Promise.all(
          [a, b].map((db) =>
            new StoredNonceCache(new RequestNoncesRepo(db)).remember('AK', `race-${i}`, T, T, {
              changesState: true,
            }),
          ),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      await a.destroy();
      await b.destroy();
      await schema.drop();
    }
  });
});
