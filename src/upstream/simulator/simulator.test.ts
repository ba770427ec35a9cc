import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import type { SimulatorTables } from './tables.js';
import { tablesOf } from '../../store/index.js';
import { openSqlite } from '../../store/sqlite/open-sqlite.js';
import { SIMULATOR_MIGRATIONS } from './migrations/index.js';
import { UpstreamError } from '../../errors/index.js';
import { WhatsAppSimulator } from './simulator.js';
import { createVerified } from './testing.js';

let dir: string;
let dbs: Array<Kysely<SimulatorTables>>;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cams-sim-'));
  dbs = [];
});
afterEach(async () => {
  await Promise.all(dbs.map((db) => db.destroy()));
  rmSync(dir, { recursive: true, force: true });
});

async function simulator(name: string, seed: string, clock = new ManualClock(Date.UTC(2026, 0, 1))) {
  const db = tablesOf<SimulatorTables>(
    await openSqlite(path.join(dir, `${name}.sqlite`), { migrations: [SIMULATOR_MIGRATIONS] }),
  );
  dbs.push(db);
  return new WhatsAppSimulator(db, seed, clock);
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

describe('WhatsAppSimulator determinism, time and accounts', () => {
  it('sends the same codes for the same seed, other codes for another seed', async () => {
    const codes = await Promise.all(
      [
        ['a', 'seed-1'],
        ['b', 'seed-1'],
        ['c', 'seed-2'],
      ].map(async ([name, seed]) => {
        const sim = await simulator(name!, seed!);
        const { id } = await sim.createPhoneNumber(await sim.createWaba('shop'), number);
        for (let i = 0; i < 3; i++) await sim.requestCode(id, { method: 'SMS', language: 'en_US' });
        return (await sim.listOutbox()).map((m) => m.code);
      }),
    );
    expect(codes[0]).toEqual(codes[1]);
    expect(codes[2]).not.toEqual(codes[0]);
    expect(new Set(codes[0]).size).toBe(3);
  });

  it('moves simulator time with a persisted offset another process sees, never backwards', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const server = await simulator('shared', 'seed', clock);
    const operator = await simulator('shared', 'seed', clock);
    const { id } = await server.createPhoneNumber(await server.createWaba('shop'), number);
    await server.requestCode(id, { method: 'SMS', language: 'en_US' });
    const [sent] = await server.listOutbox();
    expect(await operator.advanceClock(10 * 60_000)).toBe(600_000);
    expect(await server.clockOffset()).toBe(600_000);
    expect(await server.now()).toBe(Date.UTC(2026, 0, 1, 0, 10));
    await expect(server.verifyCode(id, sent!.code)).rejects.toMatchObject({ code: 136025 });
    await expect(operator.advanceClock(-1)).rejects.toThrow(RangeError);
  });

  it("reports a WABA as Meta's GET /{waba-id} does, with derived, stable identifiers", async () => {
    const sim = await simulator('a', 'seed');
    const waba = await sim.createWaba('Acme Retail');
    const details = await sim.getWaba(waba);
    expect(details).toEqual({
      id: waba,
      name: 'Acme Retail',
      currency: 'USD',
      accountReviewStatus: 'APPROVED',
      messageTemplateNamespace: expect.stringMatching(
        /^[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}$/,
      ),
      businessId: expect.stringMatching(/^\d{16}$/),
      businessName: 'Acme Retail',
    });
    expect(await sim.getWaba(waba)).toEqual(details);
    await expect(sim.getWaba('999')).rejects.toMatchObject({ code: 100, subcode: 33 });
  });

  it('keeps a business profile per number: partial updates, validation with code 100', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const sim = await simulator('a', 'seed', clock);
    const id = await createVerified({ sim, clock, db: dbs[0]! }, await sim.createWaba('shop'), number);
    expect(await sim.getBusinessProfile(id)).toEqual({
      about: '',
      address: '',
      description: '',
      email: '',
      profilePictureUrl: '',
      vertical: '',
      websites: [],
    });
    await sim.updateBusinessProfile(id, {
      about: 'Cloud services',
      websites: ['https://www.alibabacloud.com'],
    });
    await sim.updateBusinessProfile(id, { vertical: 'PROF_SERVICES', email: 'support@example.com' });
    expect(await sim.getBusinessProfile(id)).toMatchObject({
      about: 'Cloud services',
      vertical: 'PROF_SERVICES',
      email: 'support@example.com',
      websites: ['https://www.alibabacloud.com'],
    });
    const error = await sim.updateBusinessProfile(id, { about: 'x'.repeat(140) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 100, httpStatus: 400 });
    expect((error as Error).message).toContain('Param about must be at most 139 characters');
    expect((await sim.getBusinessProfile(id)).about).toBe('Cloud services');
    await expect(sim.getBusinessProfile('1')).rejects.toMatchObject({ code: 100, subcode: 33 });
  });
});
