/**
 * The plans of the hot queries (migrations/013-hot-query-indexes.ts, docs/PERFORMANCE.md "Indexes"), on
 * SQLite and PostgreSQL: the repositories run their real statements over a store of a few thousand
 * numbers (one large space among many small ones), every statement is captured as the dialect ran it,
 * and each is explained. No statement of a space's read may scan phone_numbers whole, a page may not
 * sort, and the reconciler's and the Graph client's lookups use their indexes. PostgreSQL plans with
 * sequential scans disabled, so the check is that an index serves the query, not the planner's choice
 * for this table's size (hash and merge joins, which read a table whole, are off too); SQLite plans as it
 * always does, after ANALYZE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_MIGRATIONS } from '../main.js';
import { WebhookOutbox } from '../webhooks/outbox.js';
import type { WebhookTables } from '../webhooks/tables.js';
import { tablesOf } from './index.js';
import { openPostgres } from './postgres.js';
import { PhoneNumbersRepo } from './phone-numbers-repo.js';
import type { Database } from './schema.js';
import { SpacesRepo } from './spaces-repo.js';
import { openSqlite } from './sqlite/open-sqlite.js';
import { postgresReachable, scratchSchema, SKIP_POSTGRES, type ScratchSchema } from './test-support.js';

const T = '2026-01-01T00:00:00.000Z';
const ACCOUNT = '1000000000000001';
const BIG = 'cams-big';
const SMALL_SPACES = 40;
const SMALL = (i: number) => `cams-small-${String(i).padStart(2, '0')}`;
const BIG_NUMBERS = 2000;
const SMALL_NUMBERS = 50;

interface Engine {
  /** A migrated, empty store whose every statement is passed to `capture`. */
  open(capture: (q: CompiledQuery) => void): Promise<Kysely<Database>>;
  /** The plan of a captured statement, one line per step. */
  explain(db: Kysely<Database>, q: CompiledQuery): Promise<string[]>;
  analyze(db: Kysely<Database>): Promise<void>;
  dispose(): Promise<void>;
}

function sqliteEngine(): Engine {
  const dir = mkdtempSync(path.join(tmpdir(), 'cams-plans-'));
  const file = path.join(dir, 'cams.sqlite');
  return {
    async open(capture) {
      await (await openSqlite(file, { migrations: APP_MIGRATIONS })).destroy();
      return new Kysely<Database>({
        dialect: new SqliteDialect({ database: new SQLite(file) }),
        log: (e) => {
          if (e.level === 'query') capture(e.query);
        },
      });
    },
    async explain(db, q) {
      const { rows } = await db.executeQuery<{ detail: string }>({
        ...q,
        sql: `EXPLAIN QUERY PLAN ${q.sql}`,
      } as CompiledQuery<{ detail: string }>);
      return rows.map((r) => r.detail);
    },
    analyze: async (db) => void (await sql`ANALYZE`.execute(db)),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresEngine(): Engine {
  let schema: ScratchSchema | undefined;
  return {
    async open(capture) {
      schema = await scratchSchema();
      await (await openPostgres(schema.url, { migrations: APP_MIGRATIONS })).destroy();
      // One connection: the planner setting below holds for the statements explained on it.
      const pool = new pg.Pool({ connectionString: schema.url, max: 1 });
      return new Kysely<Database>({
        dialect: new PostgresDialect({ pool }),
        log: (e) => {
          if (e.level === 'query') capture(e.query);
        },
      });
    },
    async explain(db, q) {
      // Join methods that read a table whole are off too: what is left shows whether an index can serve.
      for (const setting of ['enable_seqscan', 'enable_hashjoin', 'enable_mergejoin']) {
        await sql.raw(`SET ${setting} = off`).execute(db);
      }
      const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>({
        ...q,
        sql: `EXPLAIN ${q.sql}`,
      } as CompiledQuery<{ 'QUERY PLAN': string }>);
      await sql`RESET ALL`.execute(db);
      return rows.map((r) => r['QUERY PLAN']);
    },
    analyze: async (db) => void (await sql`ANALYZE`.execute(db)),
    dispose: async () => schema?.drop(),
  };
}

/**
 * The steps of a plan that read `table` (or its alias `p`) without binding `column` by an index: on
 * SQLite a SCAN, or a SEARCH whose index constraint does not name the column; on PostgreSQL a sequential
 * scan, or an index scan whose Index Cond (Recheck Cond for a bitmap) does not name it.
 */
function unbound(plan: string[], table: string, column: string): string[] {
  const out: string[] = [];
  plan.forEach((line, i) => {
    const step = line.trim().replace(/^->\s+/, '');
    if (new RegExp(`^(SCAN|SEARCH) (${table}|p)\\b`).test(step)) {
      if (!step.includes(`(${column}=`)) out.push(step);
      return;
    }
    if (new RegExp(`^Seq Scan on ${table}\\b`).test(step)) out.push(step);
    if (
      !new RegExp(`^(Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan) .*on ${table}\\b`).test(
        step,
      ) &&
      !new RegExp(`^Bitmap Index Scan on ${table}_`).test(step)
    )
      return;
    // The node's own detail lines: deeper than the node, before the next node (a line with "->").
    const depth = line.search(/\S/);
    const details: string[] = [];
    for (const next of plan.slice(i + 1)) {
      if (next.search(/\S/) <= depth || next.includes('->')) break;
      details.push(next.trim());
    }
    if (!details.some((d) => /^(Index Cond|Recheck Cond):/.test(d) && d.includes(`${column} =`)))
      out.push(step);
  });
  return out;
}

const sorts = (plan: string[]) => plan.filter((l) => /USE TEMP B-TREE FOR ORDER BY|(^|\s)Sort( |$)/.test(l));

function plans(engine: () => Engine): void {
  let e: Engine;
  let db: Kysely<Database>;
  let captured: CompiledQuery[] = [];

  beforeAll(async () => {
    e = engine();
    db = await e.open((q) => captured.push(q));
    await db
      .insertInto('accounts')
      .values({ id: ACCOUNT, name: 'isv', subscribed: 1, created_at: T })
      .execute();
    const spaceIds = [BIG, ...Array.from({ length: SMALL_SPACES }, (_, i) => SMALL(i))];
    await db
      .insertInto('cust_spaces')
      .values(
        spaceIds.map((id, i) => ({
          id,
          account_id: ACCOUNT,
          name: id,
          waba_id: `waba-${i}`,
          created_at: T,
          status_callback_url: null,
          http_flag: null,
          queue_flag: null,
          graph_token_sealed: null,
        })),
      )
      .execute();
    const row = (space: string, n: number) => ({
      id: `${space}-${n}`,
      account_id: ACCOUNT,
      cust_space_id: space,
      upstream_id: n % 97 === 0 ? '' : `up-${space}-${n}`,
      cc: '86',
      national_number: `139${String(n).padStart(8, '0')}`,
      e164: `86139${String(n).padStart(8, '0')}`,
      verified_name: 'Plans Co',
      status: n % 3 === 0 ? 'CONNECTED' : 'PENDING',
      code_verification_status: 'NOT_VERIFIED',
      // A few numbers in review at any time, as after the reconciler has caught up.
      name_status: n % 20 === 0 ? 'Pending_Review' : 'Approval',
      new_name_status: 'NONE',
      name_rejection_reason: null,
      quality_rating: 'UNKNOWN',
      messaging_limit_tier: 'TIER_250',
      status_callback_url: '',
      up_callback_url: '',
      created_at: T,
      updated_at: T,
      pin_sealed: null,
      http_flag: null,
      queue_flag: null,
    });
    const rows = [
      ...Array.from({ length: BIG_NUMBERS }, (_, n) => row(BIG, n)),
      ...spaceIds.slice(1).flatMap((s) => Array.from({ length: SMALL_NUMBERS }, (_, n) => row(s, n))),
    ];
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('phone_numbers')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    await e.analyze(db);
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    await e?.dispose();
  });

  /** The statements `work` ran, each with its plan. */
  async function explained(work: () => Promise<unknown>) {
    captured = [];
    await work();
    const ran = captured;
    captured = [];
    const out: Array<{ sql: string; plan: string[] }> = [];
    for (const q of ran) out.push({ sql: q.sql, plan: await e.explain(db, q) });
    // SHOW_PLANS=1 npx vitest run src/store/hot-query-plans.test.ts prints every statement with its plan.
    if (process.env.SHOW_PLANS) for (const o of out) console.log(`${o.sql}\n  ${o.plan.join('\n  ')}`);
    expect(out.length).toBeGreaterThan(0);
    return out;
  }

  it("reads a page of a space's numbers as one index range, without sorting, at any depth", async () => {
    const numbers = new PhoneNumbersRepo(db);
    const statements = await explained(async () => {
      const first = await numbers.listPage(ACCOUNT, BIG, { limit: 100 });
      await numbers.listPage(ACCOUNT, BIG, {
        limit: 100,
        after: { custSpaceId: BIG, e164: '8613900001900' },
      });
      await numbers.listPage(ACCOUNT, BIG, { limit: 100, status: 'CONNECTED', after: first.next });
      await numbers.listPageForAccount(ACCOUNT, { limit: 100, after: { custSpaceId: SMALL(3), e164: '0' } });
    });
    for (const { sql: text, plan } of statements) {
      expect(unbound(plan, 'phone_numbers', 'cust_space_id'), `${text}\n${plan.join('\n')}`).toEqual([]);
      expect(sorts(plan), `${text}\n${plan.join('\n')}`).toEqual([]);
    }
  });

  it('finds a number, counts a space and lists its intents and numbers in transition through indexes', async () => {
    const numbers = new PhoneNumbersRepo(db);
    const statements = await explained(async () => {
      await numbers.find(ACCOUNT, SMALL(7), '8613900000010');
      await numbers.findInAccount(ACCOUNT, '8613900000010');
      await numbers.census(ACCOUNT, SMALL(7));
      await numbers.listIntents(ACCOUNT, SMALL(7));
      await numbers.listInTransition(ACCOUNT, BIG);
    });
    for (const { sql: text, plan } of statements) {
      expect(unbound(plan, 'phone_numbers', 'cust_space_id'), `${text}\n${plan.join('\n')}`).toEqual([]);
    }
    // The numbers in transition of the large space come from the partial index, not its every number.
    const inTransition = statements.at(-1)!;
    expect(inTransition.plan.join('\n')).toContain('phone_numbers_in_transition');
  });

  it("the reconciler's pass reads the spaces in transition from the partial index", async () => {
    const spaces = new SpacesRepo(db);
    const [statement] = await explained(() => spaces.listInTransition());
    expect(statement!.plan.join('\n'), statement!.plan.join('\n')).toContain('phone_numbers_in_transition');
    // Every number in transition, and no other, is what the pass is for: the partial index read whole.
    const other = unbound(statement!.plan, 'phone_numbers', 'cust_space_id').filter(
      (step) => !step.includes('phone_numbers_in_transition'),
    );
    expect(other).toEqual([]);
    expect((await spaces.listInTransition()).map((s) => s.id)).toContain(BIG);
  });

  it("the Graph client's token of a WABA and a WABA's space are index lookups", async () => {
    const spaces = new SpacesRepo(db);
    const statements = await explained(async () => {
      await spaces.graphTokenOf('waba-7');
      await spaces.findByWaba('waba-7');
    });
    for (const { plan } of statements) {
      expect(plan.join('\n'), plan.join('\n')).toContain('cust_spaces_waba');
      expect(unbound(plan, 'cust_spaces', 'waba_id')).toEqual([]);
    }
  });

  it("the webhook dispatcher's poll for due events is an index range", async () => {
    const outbox = new WebhookOutbox(tablesOf<WebhookTables>(db));
    const [statement] = await explained(() => outbox.due(T, 10));
    expect(statement!.plan.join('\n'), statement!.plan.join('\n')).toContain('webhook_events_due');
    expect(unbound(statement!.plan, 'webhook_events', 'status')).toEqual([]);
  });
}

describe('hot query plans: SQLite', () => plans(sqliteEngine));

const postgres = await postgresReachable();
describe.skipIf(!postgres)(`hot query plans: PostgreSQL${postgres ? '' : ` (${SKIP_POSTGRES})`}`, () =>
  plans(postgresEngine),
);
