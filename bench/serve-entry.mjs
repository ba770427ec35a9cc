// The service under benchmark, in its own process: the embedded default (SQLite in the given data
// directory, in-memory flow control and nonce cache, the WhatsApp simulator) built from dist/ exactly
// as `cams serve` builds it, plus benchmark accounts. Talks to bench/run.mjs over the IPC channel:
//   -> {type:'ready', port, accounts, seedMs, startMs}     once listening
//   <- {type:'stats', reset, counts} -> {type:'stats', ...} memory, event-loop delay, GC, cache sizes
//                                                          (+ stored and in-transition numbers: counts)
//   <- {type:'profile-start'} / {type:'profile-stop', file} CPU profile of a load window (V8 sampler)
//   <- {type:'shutdown'}                                   close cleanly and exit 0
// Options come as JSON in BENCH_SERVE: dataDir, accounts, queryNumbers, logLevel, background, reuse,
// metrics, operatorToken (CAMS_OPERATOR_TOKEN: GET /metrics with it as Bearer), env (more CAMS_* settings),
// and paging (bench/paging.mjs:
// `{sizes: [10, 1000, 10000], pageSize}`, one account per size with one space of that many numbers written straight
// into the store, instead of the benchmark accounts; flow control then admits 1000 times the action's QPS,
// so that one account can carry the load),
// and nonces ('memory': the in-memory nonce table alone, as before stored nonces).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { sql } from 'kysely';

const started = performance.now();
const opts = JSON.parse(process.env.BENCH_SERVE ?? '{}');
const { loadConfig } = await import('../dist/config.js');
const { createApp, listen, startBackground } = await import('../dist/main.js');
const { inTransition } = await import('../dist/store/phone-numbers-repo.js');
const { normalizePhoneNumber } = await import('../dist/domain/phone-number.js');
const { MemoryFlowLimiter } = await import('../dist/throttle/flow-limiter.js');

const config = loadConfig({
  CAMS_DATA_DIR: opts.dataDir,
  CAMS_PORT: '0',
  CAMS_LOG_LEVEL: opts.logLevel ?? 'warn',
  CAMS_DEMO: 'false',
  ...(opts.operatorToken ? { CAMS_OPERATOR_TOKEN: opts.operatorToken } : {}),
  ...opts.env,
});
// As `cams serve` runs it: metrics on, unless the run compares without them (BENCH_SERVE metrics: false);
// nonces kept in memory and, for writes, in the store, unless the run compares with memory alone
// (BENCH_SERVE nonces: 'memory', the cache before stored nonces; bench/nonce-ab.mjs).
const memoryNonces =
  opts.nonces === 'memory'
    ? new (await import('../dist/throttle/nonce-cache.js')).MemoryNonceCache()
    : undefined;
/** The memory limiter, every limit multiplied: the paging runs load one account per space size. */
class ScaledLimiter extends MemoryFlowLimiter {
  async tryAcquire(key, limit, nowMs) {
    return this.tryAcquireSync(key, limit * 1000, nowMs);
  }
}
const app = await createApp(config, {
  groupCommit: true,
  metrics: opts.metrics ?? true,
  ...(opts.paging ? { limiter: new ScaledLimiter() } : {}),
  ...(memoryNonces ? { nonces: memoryNonces } : {}),
});
const SEED_FILE = path.join(config.dataDir, 'bench-seed.json');

/** Accounts, each subscribed with a root key, an empty space for Add and a space with numbers for Query. */
async function seed(count, queryNumbers) {
  // Seeding only: no fsync per insert. Restored to the service's own setting before it listens.
  const { rows } = await sql`PRAGMA synchronous`.execute(app.db);
  const synchronous = Number(rows[0].synchronous);
  await sql`PRAGMA synchronous = OFF`.execute(app.db);
  const accounts = [];
  for (let i = 0; i < count; i++) {
    const account = await app.iam.createAccount({ name: `bench${i}`, subscribed: true });
    const key = await app.iam.createAccessKey(account.id);
    const addSpace = await app.spaces.create(account.id, { name: `bench add ${i}` });
    const querySpace = await app.spaces.create(account.id, { name: `bench query ${i}` });
    for (let n = 0; n < queryNumbers; n++) {
      await app.phoneNumbers.add(account.id, {
        custSpaceId: querySpace.id,
        number: normalizePhoneNumber('86', `139${String(i * queryNumbers + n).padStart(8, '0')}`),
        verifiedName: 'Bench Query Co',
      });
    }
    accounts.push({
      accountId: account.id,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      addSpaceId: addSpace.id,
      querySpaceId: querySpace.id,
    });
  }
  await sql.raw(`PRAGMA synchronous = ${synchronous}`).execute(app.db);
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(app.db);
  writeFileSync(SEED_FILE, JSON.stringify({ queryNumbers, accounts }), { mode: 0o600 });
  return { queryNumbers, accounts };
}

/**
 * bench/paging.mjs: per size, an account whose one space holds that many numbers, settled (registered,
 * name approved: nothing for a read to refresh), written straight into phone_numbers in batches (the
 * simulator does not know them; the reconciler stays off in these runs). Numbers are written in shuffled
 * order, as Adds over time would leave them.
 */
async function seedPaging(sizes, pageSize) {
  const { rows } = await sql`PRAGMA synchronous`.execute(app.db);
  const synchronous = Number(rows[0].synchronous);
  await sql`PRAGMA synchronous = OFF`.execute(app.db);
  const accounts = [];
  const now = new Date().toISOString();
  for (const [t, size] of sizes.entries()) {
    const account = await app.iam.createAccount({ name: `paging${size}`, subscribed: true });
    const key = await app.iam.createAccessKey(account.id);
    const space = await app.spaces.create(account.id, { name: `paging ${size}` });
    const order = Array.from({ length: size }, (_, n) => n).sort(() => Math.random() - 0.5);
    for (let i = 0; i < order.length; i += 500) {
      const batch = order.slice(i, i + 500).map((n) => {
        const national = `13${t}${String(n).padStart(8, '0')}`;
        return {
          id: `bench-${t}-${n}`,
          account_id: account.id,
          cust_space_id: space.id,
          upstream_id: `bench-up-${t}-${n}`,
          cc: '86',
          national_number: national,
          e164: `86${national}`,
          verified_name: 'Bench Paging Co',
          status: 'CONNECTED',
          code_verification_status: 'VERIFIED',
          name_status: 'Approval',
          new_name_status: 'NONE',
          name_rejection_reason: null,
          quality_rating: 'GREEN',
          messaging_limit_tier: 'TIER_1K',
          status_callback_url: 'https://example.com/status',
          up_callback_url: '',
          created_at: now,
          updated_at: now,
          pin_sealed: null,
          http_flag: null,
          queue_flag: null,
        };
      });
      await app.db.insertInto('phone_numbers').values(batch).execute();
    }
    const e164s = order.map((n) => `8613${t}${String(n).padStart(8, '0')}`).sort();
    accounts.push({
      size,
      accountId: account.id,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      spaceId: space.id,
      // The number before the space's last page (that page's NextToken names it).
      lastPageAfter: size > pageSize ? e164s[size - pageSize - 1] : undefined,
    });
  }
  await sql.raw(`PRAGMA synchronous = ${synchronous}`).execute(app.db);
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(app.db);
  return { queryNumbers: 0, accounts };
}

const seedStarted = performance.now();
const seeded = opts.paging
  ? await seedPaging(opts.paging.sizes, opts.paging.pageSize)
  : opts.reuse && existsSync(SEED_FILE)
    ? JSON.parse(readFileSync(SEED_FILE, 'utf8'))
    : await seed(opts.accounts ?? 2000, opts.queryNumbers ?? 2);
const seedMs = performance.now() - seedStarted;

const { server, port } = await listen(app, 0);
const stopBackground = opts.background === false ? async () => undefined : startBackground(app);

// The histogram records the time between 10 ms timer ticks; the delay is what exceeds the 10 ms.
const LOOP_RESOLUTION_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
const loopDelayMs = (h) => {
  const ms = (ns) => (h.count === 0 ? 0 : Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS));
  return { mean: ms(h.mean), p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
};
loopDelay.enable();
let gc = { count: 0, ms: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count++;
    gc.ms += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

function fileSize(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Rows of the store; scans that block the event loop for up to ~150 ms at 40 k numbers. */
async function counts() {
  const row = await sql`SELECT count(*) AS n FROM phone_numbers`.execute(app.db);
  // Numbers whose state upstream will change on its own (a name in review): work the reconciler has left.
  const moving = await app.db
    .selectFrom('phone_numbers as p')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((w) => inTransition(w))
    .executeTakeFirst();
  const nonces = await sql`SELECT count(*) AS n FROM request_nonces`.execute(app.db);
  return {
    phoneNumbers: Number(row.rows[0]?.n ?? 0),
    inTransition: Number(moving?.n ?? 0),
    nonceRows: Number(nonces.rows[0]?.n ?? 0),
  };
}

// With `withCounts`, the store's counts too: never asked at the start of a round, whose event-loop
// delay histogram would then record the scan's stall (the late timer lands after the reset).
let eluStart = performance.eventLoopUtilization();
async function stats(reset, withCounts) {
  const mem = process.memoryUsage();
  // Share of the time since the last reset that the event loop was busy (not waiting in epoll).
  const elu = performance.eventLoopUtilization(eluStart).utilization;
  const out = {
    type: 'stats',
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    external: mem.external,
    arrayBuffers: mem.arrayBuffers,
    loopDelayMs: loopDelayMs(loopDelay),
    gc: { ...gc },
    eventLoopUtilization: elu,
    nonceCacheSize: app.nonces.size,
    limiterKeys: app.limiter.size,
    ...(withCounts ? await counts() : {}),
    dbBytes: fileSize(config.databaseFile),
    walBytes: fileSize(`${config.databaseFile}-wal`),
  };
  if (reset) {
    eluStart = performance.eventLoopUtilization();
    loopDelay.reset();
    gc = { count: 0, ms: 0, maxMs: 0 };
  }
  return out;
}

let profiler;
process.on('message', async (msg) => {
  try {
    if (msg.type === 'stats') process.send(await stats(msg.reset, msg.counts));
    else if (msg.type === 'profile-start') {
      const { Session } = await import('node:inspector/promises');
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: msg.intervalUs ?? 200 });
      await profiler.post('Profiler.start');
      process.send({ type: 'profile-started' });
    } else if (msg.type === 'profile-stop') {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(msg.file, JSON.stringify(profile));
      profiler.disconnect();
      process.send({ type: 'profile-stopped', file: msg.file });
    } else if (msg.type === 'shutdown') {
      server.close();
      server.closeAllConnections();
      await stopBackground();
      await app.close();
      process.exit(0);
    }
  } catch (error) {
    process.send({ type: 'error', message: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));

process.send({
  type: 'ready',
  port,
  seedMs,
  startMs: performance.now() - started - seedMs,
  queryNumbers: seeded.queryNumbers,
  accounts: seeded.accounts,
});
