/**
 * The two implementations of WhatsAppProvider, each over a fresh temp-dir SQLite store and a manual
 * clock: the in-process simulator, and the Graph client talking real HTTP to the HTTP simulator.
 * `sim` is the operator's side (WABAs, outbox, clock, injected Meta errors) in both cases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { ManualClock } from '../../src/clock.js';
import { tablesOf } from '../../src/store/index.js';
import { SIMULATOR_MIGRATIONS, type SimulatorTables } from '../../src/upstream/simulator/index.js';
import { openSqlite } from '../../src/store/sqlite/open-sqlite.js';
import { GraphProvider, type GraphProviderOptions } from '../../src/upstream/graph/graph-provider.js';
import type { WhatsAppProvider } from '../../src/upstream/provider.js';
import type { SimulatorOptionsInput } from '../../src/upstream/simulator/options.js';
import { WhatsAppSimulator } from '../../src/upstream/simulator/simulator.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/upstream/simulator/http/server.js';

export const TOKEN = 'system-user-token-0123456789abcdef';
export const START = Date.UTC(2026, 0, 1);

export interface Harness {
  provider: WhatsAppProvider;
  sim: WhatsAppSimulator;
  clock: ManualClock;
  db: Kysely<SimulatorTables>;
  close(): Promise<void>;
}

async function openStore(options: Partial<SimulatorOptionsInput>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cams-contract-'));
  const db = tablesOf<SimulatorTables>(
    await openSqlite(path.join(dir, 'sim.sqlite'), { migrations: [SIMULATOR_MIGRATIONS] }),
  );
  const clock = new ManualClock(START);
  const sim = new WhatsAppSimulator(db, { seed: 'contract', ...options }, clock);
  const cleanup = async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  return { db, clock, sim, cleanup };
}

export async function openSimulator(options: Partial<SimulatorOptionsInput> = {}): Promise<Harness> {
  const s = await openStore(options);
  return { provider: s.sim, sim: s.sim, clock: s.clock, db: s.db, close: s.cleanup };
}

export interface GraphHarness extends Harness {
  provider: GraphProvider;
  server: SimulatorServer;
  /** The waits the client asked for (its injected sleep does not wait). */
  sleeps: number[];
  /** Another client on the same server, e.g. with other options. */
  client(options?: GraphProviderOptions): GraphProvider;
}

export async function openGraph(
  options: Partial<SimulatorOptionsInput> = {},
  client: GraphProviderOptions = {},
  tokens: readonly string[] = [TOKEN],
): Promise<GraphHarness> {
  const s = await openStore(options);
  const server = await startSimulatorServer({ sim: s.sim, db: s.db, tokens });
  const sleeps: number[] = [];
  const make = (o: GraphProviderOptions = {}) =>
    new GraphProvider({
      baseUrl: server.baseUrl,
      accessToken: TOKEN,
      timeoutMs: 2_000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...client,
      ...o,
    });
  return {
    provider: make(),
    sim: s.sim,
    clock: s.clock,
    db: s.db,
    server,
    sleeps,
    client: make,
    async close() {
      await server.close();
      await s.cleanup();
    },
  };
}

export const IMPLEMENTATIONS: Array<
  [string, (options?: Partial<SimulatorOptionsInput>) => Promise<Harness>]
> = [
  ['in-process simulator', openSimulator],
  ['Graph client over HTTP to the HTTP simulator', (options) => openGraph(options)],
];

/** The outcome of a call as a plain value: the result, or the error's observable fields. */
export async function outcome<T>(call: Promise<T>): Promise<{ ok: T } | { error: Record<string, unknown> }> {
  try {
    return { ok: await call };
  } catch (e) {
    const error = e as Record<string, unknown> & Error;
    return {
      error: {
        name: error.name === 'GraphApiError' ? 'UpstreamError' : error.name,
        code: error.code,
        subcode: error.subcode,
        httpStatus: error.httpStatus,
        message: error.message,
        userTitle: error.userTitle,
        userMessage: error.userMessage,
        transient: error.transient,
      },
    };
  }
}
