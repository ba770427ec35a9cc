/**
 * The store contract (architecture.md, "Conventions" 4): the same cases against SQLite and PostgreSQL,
 * through the same Kysely code. PostgreSQL runs in a fresh schema per run, dropped afterwards; without a
 * PostgreSQL on the machine that half skips and says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { SecretBox } from '../crypto/secret-box.js';
import { verifyMasterKey } from './master-key-check.js';
import { APP_MIGRATIONS } from '../main.js';
import { WhatsAppSimulator, type SimulatorTables } from '../upstream/simulator/index.js';
import { tablesOf } from './index.js';
import { WebhookOutbox } from '../webhooks/outbox.js';
import { SigningSecrets } from '../webhooks/signing-secrets.js';
import type { WebhookTables } from '../webhooks/tables.js';
import { IamRepo } from './iam-repo.js';
import { migrateToLatest } from './migrate.js';
import { PhoneNumbersRepo } from './phone-numbers-repo.js';
import type { PhoneNumberRecord } from './records.js';
import { openPostgres } from './postgres.js';
import type { Database } from './schema.js';
import { SpacesRepo } from './spaces-repo.js';
import { openSqlite } from './sqlite/open-sqlite.js';
import { postgresReachable, scratchSchema, SKIP_POSTGRES, type ScratchSchema } from './test-support.js';

const T = '2026-01-01T00:00:00.000Z';
const A = '1000000000000001';
const B = '1000000000000002';

interface Dialect {
  open(): Promise<Kysely<Database>>;
  /** A second handle on the same store, as another instance or the CLI would have. */
  reopen(): Promise<Kysely<Database>>;
  dispose(): Promise<void>;
}

function sqliteDialect(): Dialect {
  const dir = mkdtempSync(path.join(tmpdir(), 'cams-store-'));
  const file = path.join(dir, 'cams.sqlite');
  return {
    open: () => openSqlite(file, { migrations: APP_MIGRATIONS }),
    reopen: () => openSqlite(file, { migrations: APP_MIGRATIONS }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresDialect(): Dialect {
  let schema: ScratchSchema | undefined;
  return {
    async open() {
      schema = await scratchSchema();
      return openPostgres(schema.url, { migrations: APP_MIGRATIONS });
    },
    reopen: () => openPostgres(schema!.url, { migrations: APP_MIGRATIONS }),
    dispose: async () => schema?.drop(),
  };
}

function phone(accountId: string, space: string, e164: string, extra: Partial<PhoneNumberRecord> = {}) {
  return {
    id: `pn-${e164}`,
    accountId,
    custSpaceId: space,
    upstreamId: `up-${e164}`,
    cc: '86',
    nationalNumber: e164.slice(2),
    e164,
    verifiedName: 'Alibaba Cloud',
    status: 'PENDING',
    codeVerificationStatus: 'NOT_VERIFIED',
    nameStatus: 'Pending_Review',
    newNameStatus: 'NONE',
    nameRejectionReason: '',
    qualityRating: 'UNKNOWN',
    messagingLimitTier: 'TIER_250',
    statusCallbackUrl: '',
    upCallbackUrl: '',
    createdAt: T,
    updatedAt: T,
    pinSealed: undefined,
    httpFlag: '',
    queueFlag: '',
    ...extra,
  } satisfies PhoneNumberRecord;
}

function storeContract(dialect: () => Dialect): void {
  let d: Dialect;
  let db: Kysely<Database>;
  let iam: IamRepo;
  let spaces: SpacesRepo;
  let numbers: PhoneNumbersRepo;

  beforeAll(async () => {
    d = dialect();
    db = await d.open();
    iam = new IamRepo(db);
    spaces = new SpacesRepo(db);
    numbers = new PhoneNumbersRepo(db);
    await iam.insertAccount({ id: A, name: 'isv', subscribed: true, createdAt: T });
    await iam.insertAccount({ id: B, name: 'other', subscribed: false, createdAt: T });
  });
  afterAll(async () => {
    await db?.destroy();
    await d?.dispose();
  });

  it('migrations are idempotent and other handles (instances, the CLI) see the same rows', async () => {
    await migrateToLatest(db as unknown as Kysely<unknown>, APP_MIGRATIONS);
    // One after the other: two SQLite handles migrating at once in one process would block each other's
    // event loop (busy_timeout waits synchronously); instances starting together are a PostgreSQL case,
    // tested below.
    const one = await d.reopen();
    const two = await d.reopen();
    expect((await new IamRepo(two).getAccount(B))?.name).toBe('other');
    expect((await new IamRepo(one).getAccount(A))?.name).toBe('isv');
    await Promise.all([one.destroy(), two.destroy()]);
  });

  it('accounts: read back, listed in order, subscription switched with a row count', async () => {
    expect(await iam.getAccount(A)).toEqual({ id: A, name: 'isv', subscribed: true, createdAt: T });
    expect((await iam.listAccounts()).map((a) => [a.id, a.subscribed])).toEqual([
      [A, true],
      [B, false],
    ]);
    expect(await iam.setSubscribed(B, true)).toBe(true);
    expect((await iam.getAccount(B))?.subscribed).toBe(true);
    expect(await iam.setSubscribed('9999999999999999', true)).toBe(false);
  });

  it('users and keys: scoped by account, status switched only within the account', async () => {
    const fields = { comments: '', email: '', mobilePhone: '', updatedAt: T };
    await iam.insertUser({
      id: 'u-1',
      accountId: A,
      name: 'ops',
      displayName: 'Ops',
      createdAt: T,
      ...fields,
    });
    await expect(
      iam.insertUser({ id: 'u-2', accountId: A, name: 'ops', displayName: 'again', createdAt: T, ...fields }),
    ).rejects.toThrow();
    expect((await iam.getUserByName(A, 'ops'))?.id).toBe('u-1');
    expect(await iam.getUser(B, 'u-1')).toBeUndefined();
    const key = { id: 'AK1', accountId: A, secretSealed: 's', status: 'Active' as const, createdAt: T };
    await iam.insertAccessKey({ ...key, userId: undefined });
    await iam.insertAccessKey({ ...key, id: 'AK2', userId: 'u-1' });
    expect(await iam.findAccessKey('AK2')).toEqual({ ...key, id: 'AK2', userId: 'u-1' });
    expect(await iam.setAccessKeyStatus(B, 'AK1', 'Inactive')).toBe(false);
    expect(await iam.setAccessKeyStatus(A, 'AK1', 'Inactive')).toBe(true);
    expect((await iam.listAccessKeys(A)).map((k) => [k.id, k.status, k.userId])).toEqual([
      ['AK1', 'Inactive', undefined],
      ['AK2', 'Active', 'u-1'],
    ]);
  });

  it('policies: attaching twice is a no-op, detach reports whether a row went, documents are joined', async () => {
    await iam.insertCustomPolicy({
      accountId: A,
      name: 'Mine',
      description: '',
      document: '{"x":1}',
      createdAt: T,
    });
    const custom = { policyType: 'Custom' as const, policyName: 'Mine' };
    const system = { policyType: 'System' as const, policyName: 'AliyunCamsFullAccess' };
    await iam.attachPolicy(A, 'u-1', custom, T);
    await iam.attachPolicy(A, 'u-1', custom, T);
    await iam.attachPolicy(A, 'u-1', system, T);
    expect(await iam.listUserPolicies(A, 'u-1')).toEqual([
      { ...custom, document: '{"x":1}' },
      { ...system, document: undefined },
    ]);
    expect(await iam.detachPolicy(A, 'u-1', system)).toBe(true);
    expect(await iam.detachPolicy(A, 'u-1', system)).toBe(false);
    expect(await iam.listUserPolicies(B, 'u-1')).toEqual([]);
  });

  it('spaces: another account cannot see a space, webhook settings are patched', async () => {
    const base = { name: 'one', createdAt: T, statusCallbackUrl: '', httpFlag: '', queueFlag: '' };
    await spaces.insert({ ...base, id: 'cams-2', accountId: A, wabaId: 'w2' });
    await spaces.insert({ ...base, id: 'cams-1', accountId: A, wabaId: 'w1' });
    expect(await spaces.get(B, 'cams-1')).toBeUndefined();
    expect((await spaces.getAnywhere('cams-1'))?.accountId).toBe(A);
    expect((await spaces.findByWaba('w2'))?.id).toBe('cams-2');
    await spaces.setWebhook(A, 'cams-1', { statusCallbackUrl: 'https://example.com/h', httpFlag: 'Y' });
    await spaces.setWebhook(B, 'cams-1', { queueFlag: 'Y' });
    expect(await spaces.get(A, 'cams-1')).toMatchObject({
      statusCallbackUrl: 'https://example.com/h',
      httpFlag: 'Y',
      queueFlag: '',
    });
    expect((await spaces.list(A)).map((s) => s.id)).toEqual(['cams-1', 'cams-2']);
  });

  it('phone numbers: unique per space, patched, filtered, intents apart, deleted', async () => {
    await numbers.insert(A, phone(A, 'cams-1', '8613800138001'));
    await numbers.insert(A, phone(A, 'cams-1', '8613800138000', { status: 'CONNECTED' }));
    await numbers.insert(A, phone(A, 'cams-1', '8613800138009', { id: 'intent', upstreamId: '' }));
    await expect(numbers.insert(A, phone(A, 'cams-1', '8613800138001', { id: 'dup' }))).rejects.toThrow();
    await expect(numbers.insert(B, phone(A, 'cams-1', '8613800138002'))).rejects.toThrow(/tenant/);
    // Add's intent: inserted unless the space has the number, the existing row untouched otherwise.
    expect(await numbers.insertUnlessExists(A, phone(A, 'cams-1', '8613800138001', { id: 'again' }))).toBe(
      false,
    );
    expect((await numbers.find(A, 'cams-1', '8613800138001'))?.id).toBe('pn-8613800138001');
    expect(await numbers.insertUnlessExists(A, phone(A, 'cams-2', '8613800138001', { id: 'other' }))).toBe(
      true,
    );
    await numbers.update(
      A,
      'pn-8613800138001',
      { status: 'VERIFIED', pinSealed: 'sealed' },
      '2026-01-02T00:00:00.000Z',
    );
    expect(await numbers.find(A, 'cams-1', '8613800138001')).toMatchObject({
      status: 'VERIFIED',
      pinSealed: 'sealed',
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(await numbers.find(B, 'cams-1', '8613800138001')).toBeUndefined();
    expect((await numbers.list(A, 'cams-1')).map((n) => n.e164)).toEqual(['8613800138000', '8613800138001']);
    expect((await numbers.listForAccount(A, 'CONNECTED')).map((n) => n.e164)).toEqual(['8613800138000']);
    // Every space of the account (through cust_spaces), and none of another account's.
    expect((await numbers.listForAccount(A)).map((n) => `${n.custSpaceId}/${n.e164}`).sort()).toEqual([
      'cams-1/8613800138000',
      'cams-1/8613800138001',
      'cams-2/8613800138001',
    ]);
    expect(await numbers.listForAccount(B)).toEqual([]);
    expect((await numbers.listIntents(A, 'cams-1')).map((n) => n.id)).toEqual(['intent']);
    // What the reconciler reads first: numbers in all, intents, numbers whose name is in review (the
    // intent's too, but an intent is counted as such) or verified and not yet connected.
    await numbers.update(A, 'pn-8613800138000', { nameStatus: 'APPROVED' }, T);
    expect(await numbers.census(A, 'cams-1')).toEqual({ numbers: 3, intents: 1, inTransition: 1 });
    await numbers.update(
      A,
      'pn-8613800138001',
      { nameStatus: 'APPROVED', codeVerificationStatus: 'VERIFIED' },
      T,
    );
    expect(await numbers.census(A, 'cams-1')).toEqual({ numbers: 3, intents: 1, inTransition: 1 });
    await numbers.update(A, 'pn-8613800138001', { status: 'CONNECTED' }, T);
    expect(await numbers.census(A, 'cams-1')).toEqual({ numbers: 3, intents: 1, inTransition: 0 });
    expect(await numbers.census(B, 'cams-1')).toEqual({ numbers: 0, intents: 0, inTransition: 0 });
    expect((await numbers.listInTransition(A, 'cams-2')).map((n) => n.id)).toEqual(['other']);
    await numbers.delete(A, 'intent');
    expect(await numbers.listIntents(A, 'cams-1')).toEqual([]);
  });

  it("a declined name's reason is kept while it applies, and cleared", async () => {
    await numbers.insert(A, phone(A, 'cams-1', '8613800138077'));
    const reason = async () => (await numbers.find(A, 'cams-1', '8613800138077'))?.nameRejectionReason;
    expect(await reason()).toBe('');
    const declined = { nameStatus: 'Rejected', nameRejectionReason: 'NAME_FORMAT_UNACCEPTABLE' };
    await numbers.update(A, 'pn-8613800138077', declined, T);
    expect(await reason()).toBe('NAME_FORMAT_UNACCEPTABLE');
    await numbers.update(A, 'pn-8613800138077', { nameStatus: 'Approval', nameRejectionReason: '' }, T);
    expect(await reason()).toBe('');
  });

  it('the master-key check is written once and read back by another handle', async () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    await verifyMasterKey(db, box);
    const other = await d.reopen();
    await expect(verifyMasterKey(other, box)).resolves.toBeUndefined();
    await expect(verifyMasterKey(other, new SecretBox(Buffer.alloc(32, 8)))).rejects.toThrow(/master key/);
    await other.destroy();
  });

  it('simulator: concurrent creates get distinct IDs, the clock offset persists', async () => {
    const clock = new ManualClock(Date.parse(T));
    const sim = new WhatsAppSimulator(tablesOf<SimulatorTables>(db), { seed: 'contract' }, clock);
    const waba = await sim.createWaba('contract');
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        sim.createPhoneNumber(waba, {
          cc: '86',
          phoneNumber: `1380013810${i}`,
          verifiedName: 'Alibaba Cloud',
        }),
      ),
    );
    expect(new Set(created.map((n) => n.id)).size).toBe(8);
    expect(await sim.listPhoneNumbers(waba)).toHaveLength(8);
    await sim.advanceClock(90_000);
    const again = new WhatsAppSimulator(
      tablesOf<SimulatorTables>(await d.reopen()),
      { seed: 'contract' },
      clock,
    );
    expect(await again.clockOffset()).toBe(90_000);
  });

  it('webhooks: one claim wins, attempts are numbers, the outcome is kept; secrets created once', async () => {
    const outbox = new WebhookOutbox(db as unknown as Kysely<WebhookTables>);
    await outbox.insert({
      id: 'e1',
      accountId: A,
      url: 'https://example.com/h',
      type: 't',
      body: '{}',
      nowIso: T,
    });
    const [due] = await outbox.due('2026-01-01T00:00:01.000Z', 10);
    expect(due).toEqual({ id: 'e1', attempts: 0 });
    const claims = await Promise.all(
      ['x', 'y'].map((token) => outbox.claim(due!, T, '2026-01-01T00:01:00.000Z', token)),
    );
    const won = claims.filter((c) => c !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]!.attempts).toBe(1);
    const record = { statusCode: 200, error: null, nowIso: T };
    expect(await outbox.finish({ ...won[0]!, lockToken: 'stale' }, 'delivered', record)).toBe(false);
    expect(await outbox.finish(won[0]!, 'delivered', record)).toBe(true);
    expect((await outbox.list(A))[0]).toMatchObject({
      status: 'delivered',
      lastStatusCode: 200,
      attempts: 1,
    });
    const secrets = new SigningSecrets(
      db as unknown as Kysely<WebhookTables>,
      new SecretBox(Buffer.alloc(32, 1)),
      new ManualClock(),
    );
    const [s1, s2] = await Promise.all([secrets.get(A), secrets.get(A)]);
    expect(s1).toBe(s2);
  });
}

describe('store contract: SQLite', () => storeContract(sqliteDialect));

const postgres = await postgresReachable();
describe.skipIf(!postgres)(`store contract: PostgreSQL${postgres ? '' : ` (${SKIP_POSTGRES})`}`, () =>
  storeContract(postgresDialect),
);

describe.skipIf(!postgres)(`PostgreSQL migrations${postgres ? '' : ` (${SKIP_POSTGRES})`}`, () => {
  it('instances starting together on an empty schema apply each migration once, in that schema', async () => {
    const schema = await scratchSchema();
    try {
      const dbs = await Promise.all([1, 2, 3].map(() => openPostgres(schema.url)));
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        dbs[0]!,
      );
      // Every migration recorded (a failed concurrent run would have thrown above), from the first on.
      expect(rows[0]?.name).toBe('001-initial');
      expect(rows.length).toBeGreaterThanOrEqual(4);
      const tables = await sql<{ schema: string }>`
        select distinct table_schema as schema from information_schema.tables where table_name = 'kysely_migration'
          and table_schema = ${schema.name}`.execute(dbs[0]!);
      expect(tables.rows).toEqual([{ schema: schema.name }]);
      await Promise.all(dbs.map((db) => db.destroy()));
    } finally {
      await schema.drop();
    }
  });
});
