import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import type { Database } from '../../store/schema.js';
import { openSqlite } from '../../store/sqlite.js';
import { UpstreamError } from '../provider.js';
import { WhatsAppSimulator } from './simulator.js';

let dir: string;
let dbs: Array<Kysely<Database>>;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cams-sim-'));
  dbs = [];
});
afterEach(async () => {
  await Promise.all(dbs.map((db) => db.destroy()));
  rmSync(dir, { recursive: true, force: true });
});

async function simulator(name: string, seed: string): Promise<WhatsAppSimulator> {
  const db = await openSqlite(path.join(dir, `${name}.sqlite`));
  dbs.push(db);
  return new WhatsAppSimulator(db, seed, new ManualClock(Date.UTC(2026, 0, 1)));
}

const number = { cc: '86', phoneNumber: '13800138000', verifiedName: 'Alibaba Cloud' };

describe('WhatsAppSimulator', () => {
  it('gives the same IDs for the same seed, and other IDs for another seed', async () => {
    const runs = await Promise.all([
      simulator('a', 'seed-1'),
      simulator('b', 'seed-1'),
      simulator('c', 'seed-2'),
    ]);
    const ids = await Promise.all(
      runs.map(async (sim) => {
        const waba = await sim.createWaba('shop');
        const created = await sim.createPhoneNumber(waba, number);
        return [waba, created.id];
      }),
    );
    expect(ids[0]).toEqual(ids[1]);
    expect(ids[2]![0]).not.toBe(ids[0]![0]);
    for (const id of ids.flat()) expect(id).toMatch(/^\d{16}$/);
  });

  it('creates numbers as Meta reports a new one: PENDING, NOT_VERIFIED, name in review', async () => {
    const sim = await simulator('a', 'seed');
    const waba = await sim.createWaba('shop');
    const created = await sim.createPhoneNumber(waba, number);
    expect(created).toMatchObject({
      wabaId: waba,
      e164: '8613800138000',
      displayPhoneNumber: '+86 138 0013 8000',
      status: 'PENDING',
      codeVerificationStatus: 'NOT_VERIFIED',
      nameStatus: 'PENDING_REVIEW',
      platformType: 'NOT_APPLICABLE',
    });
    expect(await sim.listPhoneNumbers(waba)).toEqual([created]);
  });

  it("refuses a number the WABA already has with Meta's 200000, and an unknown WABA with 100/33", async () => {
    const sim = await simulator('a', 'seed');
    const waba = await sim.createWaba('shop');
    await sim.createPhoneNumber(waba, number);
    await expect(sim.createPhoneNumber(waba, number)).rejects.toMatchObject({
      code: 200000,
      httpStatus: 400,
    });
    const unknown = await sim.createPhoneNumber('1234567890', number).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UpstreamError);
    expect(unknown).toMatchObject({ code: 100, subcode: 33 });
    expect(await sim.listPhoneNumbers(waba)).toHaveLength(1);
  });

  it('keeps numbers of different WABAs apart', async () => {
    const sim = await simulator('a', 'seed');
    const [w1, w2] = [await sim.createWaba('one'), await sim.createWaba('two')];
    await sim.createPhoneNumber(w1, number);
    await sim.createPhoneNumber(w2, number);
    expect((await sim.listPhoneNumbers(w1)).map((n) => n.wabaId)).toEqual([w1]);
    expect((await sim.listPhoneNumbers(w2)).map((n) => n.wabaId)).toEqual([w2]);
  });
});
