// The service's own CPU per request, without HTTP or a load generator: the request pipeline
// (runPipeline inside the store's unit of work, as the gateway route calls it) driven in-process by 10 concurrent
// callers over pre-signed requests, on the embedded default (SQLite with group commit, the simulator).
// Prints req/s and CPU µs per request; with --statements, time per SQL statement and WAL frames per
// request. Not part of `npm run bench`; for finding where a path's time goes (docs/PERFORMANCE.md).
// With --cpu-prof FILE, a V8 CPU profile of the measured phase only, with --heap-prof FILE a sampled
// allocation profile of it (open either in Chrome DevTools).
//   node bench/in-process.mjs add|query [requests] [--statements] [--memory-nonces] [--cpu-prof FILE] [--heap-prof FILE]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NonceSource, signedRequest, timestamp } from './lib/sign.mjs';

const option = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const profFile = option('--cpu-prof');
const heapFile = option('--heap-prof');
const [pathName = 'query', countArg = '6000'] = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !['--cpu-prof', '--heap-prof'].includes(all[i - 1]));
const statements = process.argv.includes('--statements');
const N = Number(countArg);

// Time per statement: wraps better-sqlite3's run/all/get before the service prepares anything.
const stats = new Map();
let timing = false;
if (statements) {
  const SQLite = createRequire(import.meta.url)('better-sqlite3');
  const prepare = SQLite.prototype.prepare;
  SQLite.prototype.prepare = function (sql) {
    const stmt = prepare.call(this, sql);
    for (const method of ['run', 'all', 'get']) {
      const original = stmt[method];
      stmt[method] = function (...args) {
        if (!timing) return original.apply(this, args);
        const t = process.hrtime.bigint();
        try {
          return original.apply(this, args);
        } finally {
          const entry = stats.get(sql) ?? { calls: 0, ns: 0n };
          entry.calls++;
          entry.ns += process.hrtime.bigint() - t;
          stats.set(sql, entry);
        }
      };
    }
    return stmt;
  };
}

const { loadConfig } = await import('../dist/config.js');
const { createApp, pipelineDeps } = await import('../dist/main.js');
const { runPipeline } = await import('../dist/gateway/pipeline.js');
const { normalizePhoneNumber } = await import('../dist/domain/phone-number.js');
const { sql } = await import('kysely');

const dir = mkdtempSync(path.join(tmpdir(), 'cams-inproc-'));
const config = loadConfig({ CAMS_DATA_DIR: dir, CAMS_LOG_LEVEL: 'warn', CAMS_DEMO: 'false' });
// --memory-nonces: the nonce cache before stored nonces (memory only), to compare (docs/PERFORMANCE.md).
const memoryNonces = process.argv.includes('--memory-nonces')
  ? new (await import('../dist/throttle/nonce-cache.js')).MemoryNonceCache()
  : undefined;
const app = await createApp(config, { groupCommit: true, ...(memoryNonces ? { nonces: memoryNonces } : {}) });
const deps = pipelineDeps(app);
// 2000 accounts: 10 QPS each caps nothing below 20k req/s.
const accounts = [];
for (let i = 0; i < 2000; i++) {
  const account = await app.iam.createAccount({ name: `bench${i}`, subscribed: true });
  const key = await app.iam.createAccessKey(account.id);
  const querySpace = await app.spaces.create(account.id, { name: `query ${i}` });
  const addSpace = await app.spaces.create(account.id, { name: `add ${i}` });
  for (let n = 0; n < 2; n++) {
    await app.phoneNumbers.add(account.id, {
      custSpaceId: querySpace.id,
      number: normalizePhoneNumber('86', `139${String(i * 2 + n).padStart(8, '0')}`),
      verifiedName: 'Bench Co',
    });
  }
  accounts.push({ key, querySpaceId: querySpace.id, addSpaceId: addSpace.id });
}
await app.durably(async () => {});

const nonces = new NonceSource();
let seq = 0;
function request() {
  const a = accounts[seq % accounts.length];
  const k = seq++;
  const common = { host: 'localhost', key: a.key, nonce: nonces.next(), date: timestamp() };
  const r =
    pathName === 'add'
      ? signedRequest({
          ...common,
          action: 'AddChatappPhoneNumber',
          body: {
            Cc: '86',
            CustSpaceId: a.addSpaceId,
            PhoneNumber: `138${String(k).padStart(8, '0')}`,
            VerifiedName: 'Bench Co',
          },
        })
      : signedRequest({
          ...common,
          action: 'QueryChatappPhoneNumbers',
          query: { CustSpaceId: a.querySpaceId },
        });
  const headers = {};
  for (const [name, value] of Object.entries(r.headers)) headers[name.toLowerCase()] = [String(value)];
  return {
    method: r.method,
    url: r.path,
    headers,
    body: Buffer.from(r.body),
    sourceIp: '127.0.0.1',
    secure: false,
  };
}
const requests = Array.from({ length: N * 2 }, request);
let next = 0;
async function caller(count) {
  for (let i = 0; i < count; i++) {
    const { answer } = await app.durably((unit) =>
      runPipeline(requests[next++], deps, app.log, 'localhost', unit),
    );
    if (answer.status !== 200) throw new Error(answer.body);
  }
}
await Promise.all(Array.from({ length: 10 }, () => caller(N / 10))); // warm-up
if (statements) {
  // An empty WAL, so its growth over the measured phase is the frames it wrote (up to the 64 MiB restart).
  await app.durably(async () => {});
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(app.db);
}
const wal0 = statSync(`${config.databaseFile}-wal`).size;
timing = statements;
const session = profFile === undefined && heapFile === undefined ? undefined : new Session();
const post = (method, params) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
  );
if (session !== undefined) {
  session.connect();
  if (profFile !== undefined) {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
  }
  // Allocations sampled every 1 KB on average, garbage included: where a request's allocations come from.
  if (heapFile !== undefined) {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(Array.from({ length: 10 }, () => caller(N / 10)));
const cpu = process.cpuUsage(cpu0);
const ms = performance.now() - t0;
timing = false;
if (profFile !== undefined) writeFileSync(profFile, JSON.stringify((await post('Profiler.stop')).profile));
if (heapFile !== undefined) {
  writeFileSync(heapFile, JSON.stringify((await post('HeapProfiler.stopSampling')).profile));
}
session?.disconnect();
console.log(
  `${pathName}: ${((N / ms) * 1000).toFixed(0)} req/s, CPU ${((cpu.user + cpu.system) / N).toFixed(0)} µs/request (user ${(cpu.user / N).toFixed(0)})`,
);
if (statements) {
  const frames = Math.max(0, statSync(`${config.databaseFile}-wal`).size - wal0) / 4120 / N;
  console.log(
    `WAL growth: ${frames.toFixed(2)} frames/request (only meaningful while the WAL does not restart: up to ~3000 Adds)`,
  );
  let total = 0n;
  for (const [sql, { calls, ns }] of [...stats].sort((a, b) => Number(b[1].ns - a[1].ns))) {
    total += ns;
    console.log(
      `${(Number(ns) / N / 1000).toFixed(1).padStart(7)} µs/request  ${(calls / N).toFixed(2).padStart(5)}×  ${sql.slice(0, 100)}`,
    );
  }
  console.log(`${(Number(total) / N / 1000).toFixed(1).padStart(7)} µs/request in SQL statements`);
}
await app.close();
rmSync(dir, { recursive: true, force: true });
