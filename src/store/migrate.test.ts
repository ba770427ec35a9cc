import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_MIGRATIONS } from '../main.js';
import { composeMigrations, STORE_MIGRATIONS } from './migrate.js';
import { openSqlite } from './sqlite/open-sqlite.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('migrations composed from their owners', () => {
  it('keep the one history existing databases recorded, in order', () => {
    // Data directories made before the wings took their tables recorded these names; a name missing
    // from the composition would make Kysely refuse to open them.
    expect(Object.keys(composeMigrations(APP_MIGRATIONS)).sort()).toEqual([
      '001-initial',
      '002-simulator-lifecycle',
      '003-webhooks',
      '004-lifecycle',
      '005-space-graph-token',
      '006-drop-account-space-index',
      '007-audit',
      '008-sim-limits-and-codes',
      '009-name-rejection-reason',
      '010-ram-roles',
      '011-sts-sessions',
      '012-ram-policy-versions',
      '013-hot-query-indexes',
      '014-request-nonces',
      '015-console-sessions',
    ]);
  });

  it("run every owner's part of a shared name, the store's first", async () => {
    const order: string[] = [];
    const composed = composeMigrations([
      { '001-x': { up: async () => void order.push('store') } },
      {
        '001-x': { up: async () => void order.push('wing') },
        '002-y': { up: async () => void order.push('y') },
      },
    ]);
    for (const name of Object.keys(composed).sort()) await composed[name]!.up(undefined as never);
    expect(order).toEqual(['store', 'wing', 'y']);
  });

  it("create the store's tables alone, or every owner's together", async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cams-migrate-'));
    const tables = async (file: string, sets: Parameters<typeof openSqlite>[1]) => {
      const db = await openSqlite(path.join(dir!, file), sets);
      const { rows } = await sql<{
        name: string;
      }>`select name from sqlite_master where type = 'table'`.execute(db);
      await db.destroy();
      return rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_') && !n.startsWith('sqlite_'));
    };
    const own = await tables('own.sqlite', { migrations: [STORE_MIGRATIONS] });
    expect(own.some((n) => n.startsWith('sim_') || n.startsWith('webhook_'))).toBe(false);
    expect(own).toContain('phone_numbers');
    const all = await tables('all.sqlite', { migrations: APP_MIGRATIONS });
    expect(all).toEqual(
      expect.arrayContaining(['phone_numbers', 'sim_phone_numbers', 'sim_outbox', 'webhook_events']),
    );
  });
});
