import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { ManualClock } from '../../clock.js';
import type { SimulatorTables } from './tables.js';
import { tablesOf } from '../../store/index.js';
import { openSqlite } from '../../store/sqlite/open-sqlite.js';
import { SIMULATOR_MIGRATIONS } from './migrations/index.js';
import type { SimulatorOptionsInput } from './options.js';
import { UpstreamError } from '../../errors/index.js';
import { WhatsAppSimulator } from './simulator.js';

/** 2026-01-01T00:00:00Z: the manual clock's start in simulator tests. */
export const TEST_START = Date.UTC(2026, 0, 1);

export interface TestSimulator {
  sim: WhatsAppSimulator;
  clock: ManualClock;
  db: Kysely<SimulatorTables>;
}

/**
 * Simulators on temp-dir SQLite files for tests (no vitest import, so this stays out of the test runner's
 * way): call `open` in a test, `cleanup` in afterEach.
 */
export function simulatorHarness(): {
  open(options?: Partial<SimulatorOptionsInput>, file?: string): Promise<TestSimulator>;
  cleanup(): Promise<void>;
} {
  let dir: string | undefined;
  const dbs: Array<Kysely<SimulatorTables>> = [];
  return {
    async open(options = {}, file = 'sim') {
      dir ??= mkdtempSync(path.join(tmpdir(), 'cams-sim-'));
      const db = tablesOf<SimulatorTables>(
        await openSqlite(path.join(dir, `${file}.sqlite`), { migrations: [SIMULATOR_MIGRATIONS] }),
      );
      dbs.push(db);
      const clock = new ManualClock(TEST_START);
      return { sim: new WhatsAppSimulator(db, { seed: 'seed', ...options }, clock), clock, db };
    },
    async cleanup() {
      await Promise.all(dbs.splice(0).map((db) => db.destroy()));
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}

/**
 * The four onboarding calls of whatsapp-upstream.md §0.1, up to (not including) register, with the review
 * delay passed.
 */
export async function createVerified(
  t: TestSimulator,
  wabaId: string,
  number: { cc: string; phoneNumber: string; verifiedName: string },
): Promise<string> {
  const created = await t.sim.createPhoneNumber(wabaId, number);
  await t.sim.requestCode(created.id, { method: 'SMS', language: 'en_US' });
  const message = (await t.sim.listOutbox({ phoneNumberId: created.id })).at(-1);
  await t.sim.verifyCode(created.id, message!.code);
  t.clock.advance(t.sim.options.nameReviewDelayMs);
  return created.id;
}

/** The UpstreamError a call must fail with; throws when it succeeds or fails otherwise. */
export async function upstreamFailure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UpstreamError)) throw new Error(`expected an UpstreamError, got ${String(error)}`);
  return error;
}
