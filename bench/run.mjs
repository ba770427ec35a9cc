#!/usr/bin/env node
// `npm run bench`: the service against a bare node:http server on this machine, same load generator,
// interleaved rounds, every answer checked. See docs/PERFORMANCE.md.
//
//   npm run bench                     full run (~10 min) + 300 s sustained RSS run
//   npm run bench -- --quick          short rounds + 30 s sustained run
//   npm run bench -- --sustained 0    skip the sustained run
//   npm run bench -- --profile 20     CPU profiles of Add and Query at 10 connections (20 s each)
//   npm run bench -- --metrics-ab     metrics ON against OFF instead (bench/metrics-ab.mjs)
//   npm run bench -- --flood          another client's latency under a flood instead (bench/flood.mjs)
//   npm run bench -- --paging         Query on spaces of 10, 1,000 and 10,000 numbers instead (bench/paging.mjs)
//   npm run bench -- --nonce-ab       stored nonces against memory only instead (bench/nonce-ab.mjs)
//   npm run bench -- --help
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadRound } from './lib/load.mjs';
import { ask, freePort, ROOT, rssBytes, startBare, startDurable, startService, stop } from './lib/procs.mjs';
import { summarize } from './lib/profile.mjs';
import { checks, median, Requests } from './lib/requests.mjs';
import { selfTest } from './lib/sign.mjs';

// `--flood [options]`: another client's latency under one source's pipelining flood (bench/flood.mjs);
// `--paging [options]`: Query as spaces grow (bench/paging.mjs);
// `--metrics-ab [options]`, `--nonce-ab [options]`: comparisons. Each a script of its own with its own options.
for (const [flag, script] of [
  ['--flood', 'bench/flood.mjs'],
  ['--paging', 'bench/paging.mjs'],
  ['--metrics-ab', 'bench/metrics-ab.mjs'],
  ['--nonce-ab', 'bench/nonce-ab.mjs'],
]) {
  if (!process.argv.includes(flag)) continue;
  const rest = process.argv.slice(2).filter((a) => a !== flag);
  const r = spawnSync(process.execPath, [path.join(ROOT, script), ...rest], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sustained: { type: 'string' },
    accounts: { type: 'string', default: '2000' },
    'query-numbers': { type: 'string', default: '2' },
    duration: { type: 'string' },
    rounds: { type: 'string' },
    connections: { type: 'string', default: '1,10,100' },
    paths: { type: 'string', default: 'add,query' },
    durable: { type: 'string', default: 'log,sqlite' },
    'cold-starts': { type: 'string' },
    'log-level': { type: 'string', default: 'warn' },
    'no-background': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    profile: { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, '.bench') },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`usage: npm run bench -- [options]
  --quick               short rounds (3 s, 2 rounds per server) and a 30 s sustained run
  --sustained <s>       seconds of the sustained RSS run (default 300, quick 30; 0 skips it)
  --accounts <n>        benchmark accounts (default 2000: 10 QPS each caps nothing below 10k req/s)
  --query-numbers <n>   numbers in each account's Query space (default 2)
  --duration <s>        seconds per measured round (default 8, quick 3)
  --rounds <n>          measured rounds per server and scenario (default 3, quick 2)
  --connections <list>  default 1,10,100
  --paths <list>        add,query
  --durable <list>      durable-write references measured in the Add rounds: log,sqlite (none: skip)
  --cold-starts <n>     cold-start repetitions (default 5, quick 3; 0 skips)
  --log-level <level>   the service's log level (default warn; logs go to /dev/null)
  --no-background       do not start the webhook dispatcher and reconciler
  --skip-build          use dist/ as it is
  --profile <s>         instead of the benchmark: CPU-profile Add and Query at 10 connections
  --metrics-ab          instead: metrics ON against OFF, interleaved (--metrics-ab --help: its options)
  --flood               instead: a victim's latency under one source's flood (--flood --help: its options)
  --paging              instead: Query on spaces of 10, 1,000 and 10,000 numbers (--paging --help)
  --nonce-ab            instead: stored nonces against memory only, interleaved (--nonce-ab --help)
  --out <dir>           results directory (default .bench; JSON in <dir>/results)`);
  process.exit(0);
}

const quick = args.quick;
const cfg = {
  mode: quick ? 'quick' : 'full',
  accounts: Number(args.accounts),
  queryNumbers: Number(args['query-numbers']),
  roundSeconds: Number(args.duration ?? (quick ? 3 : 8)),
  warmupSeconds: quick ? 1.5 : 3,
  rounds: Number(args.rounds ?? (quick ? 2 : 3)),
  connections: args.connections.split(',').map(Number),
  paths: args.paths.split(','),
  durable: args.durable === 'none' ? [] : args.durable.split(',').filter(Boolean),
  durableReferences:
    'durable-server.mjs: the bare server with each request body made durable before the answer (log: preallocated file + fdatasync per loop turn; sqlite: one row per request, WAL, one transaction + WAL fsync per loop turn); fsyncs overlap, answers in order',
  coldStarts: Number(args['cold-starts'] ?? (quick ? 3 : 5)),
  sustainedSeconds: Number(args.sustained ?? (quick ? 30 : 300)),
  sustainedConnections: 10,
  sustainedSegmentSeconds: quick ? 5 : 10,
  logLevel: args['log-level'],
  background: !args['no-background'],
  store: 'SQLite (WAL, synchronous=FULL) in a fresh temporary data directory',
  flowControl: 'memory',
  upstream: 'simulator',
};

const log = (...a) => console.error('[bench]', ...a);
for (const mode of cfg.durable) {
  if (!['log', 'sqlite'].includes(mode))
    throw new Error(`--durable: unknown reference ${mode} (log, sqlite)`);
}

// ---------------------------------------------------------------------------------------------------
// Requests, signed before each round.

const requests = new Requests();
const presign = (...a) => requests.presign(...a);

// ---------------------------------------------------------------------------------------------------

function build() {
  if (args['skip-build']) return;
  log('npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed');
}

function environment() {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    /* not a checkout */
  }
  const cpus = os.cpus();
  return {
    commit,
    node: process.version,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadGenerator: 'autocannon (in the orchestrating process, one thread)',
  };
}

// ---------------------------------------------------------------------------------------------------
// Cold start: process start to first successful answer (the official SDK for the service).

async function loadSdk() {
  const camsModule = await import('@alicloud/cams20200606');
  const openApi = await import('@alicloud/openapi-client');
  const Client = camsModule.default?.default ?? camsModule.default;
  const models = camsModule.default ?? camsModule;
  const Config = openApi.Config ?? openApi.default.Config;
  return { Client, models, Config };
}

const DEMO = {
  CAMS_DEMO_ACCOUNT_ID: '1000000000000001',
  CAMS_DEMO_ACCESS_KEY_ID: 'LTAIbenchColdStart01',
  CAMS_DEMO_ACCESS_KEY_SECRET: 'benchColdStartSecret0123456789',
  CAMS_DEMO_CUST_SPACE_ID: 'cams-coldstart',
};

/** Retries `attempt` every 2 ms until it is true; `gaveUp()` may return an error to stop with. */
async function until(attempt, gaveUp = () => undefined) {
  for (;;) {
    const error = gaveUp();
    if (error) throw error;
    if (await attempt().catch(() => false)) return;
    await sleep(2);
  }
}

function httpOk(port) {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function coldStartBare() {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bench/bare-server.mjs'), String(port)], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  await until(() => httpOk(port));
  const ms = performance.now() - t0;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
  return ms;
}

async function coldStartService(sdk, dataDir, nodeArgs = []) {
  const port = await freePort();
  const client = new sdk.Client(
    new sdk.Config({
      accessKeyId: DEMO.CAMS_DEMO_ACCESS_KEY_ID,
      accessKeySecret: DEMO.CAMS_DEMO_ACCESS_KEY_SECRET,
      endpoint: `127.0.0.1:${port}`,
      protocol: 'http',
    }),
  );
  const call = async () => {
    const res = await client.queryChatappPhoneNumbers(
      new sdk.models.QueryChatappPhoneNumbersRequest({ custSpaceId: DEMO.CAMS_DEMO_CUST_SPACE_ID }),
    );
    return res.body?.code === 'OK';
  };
  await call().catch(() => false); // warm the SDK's own code paths against a closed port
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin/cams.js'), 'serve'], {
    cwd: ROOT,
    // The production command as shipped (log level info, logs to /dev/null); first start creates the demo.
    env: { ...process.env, ...DEMO, CAMS_DATA_DIR: dataDir, CAMS_PORT: String(port), CAMS_HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  await until(call, () => (exited ? new Error('cams serve exited during the cold start') : undefined));
  const ms = performance.now() - t0;
  await new Promise((resolve) => {
    if (exited) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
  return ms;
}

async function coldStarts(n) {
  if (n <= 0) return undefined;
  const sdk = await loadSdk();
  const runs = [];
  for (let i = 0; i < n; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cams-bench-cold-'));
    try {
      const bare = await coldStartBare();
      const first = await coldStartService(sdk, dir); // empty data dir: migrations, master key, demo
      const restart = await coldStartService(sdk, dir); // same data dir again
      runs.push({ bareMs: bare, serviceFirstStartMs: first, serviceRestartMs: restart });
      log(
        `cold start ${i + 1}/${n}: bare ${bare.toFixed(0)} ms, service ${first.toFixed(0)} ms (first), ${restart.toFixed(0)} ms (restart)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const bareMs = median(runs.map((r) => r.bareMs));
  const firstMs = median(runs.map((r) => r.serviceFirstStartMs));
  const restartMs = median(runs.map((r) => r.serviceRestartMs));
  return {
    method:
      'spawn to first successful answer, polled every 2 ms: bare = HTTP 200 from a fresh node process; service = `node bin/cams.js serve` answering QueryChatappPhoneNumbers (Code OK) to @alicloud/cams20200606',
    runs,
    bareMs,
    serviceFirstStartMs: firstMs,
    serviceRestartMs: restartMs,
    ratioFirstStart: firstMs / bareMs,
    ratioRestart: restartMs / bareMs,
  };
}

// ---------------------------------------------------------------------------------------------------
// Throughput/latency scenarios.

// The store's counts only after a round (see serve-entry.mjs).
const statsOf = (proc) => (reset) => ask(proc.child, { type: 'stats', reset, counts: !reset }, 'stats');

async function serviceRound(svc, pathName, connections, seconds, estimatedRps) {
  // Generous: a pool that runs out stops the round early (load.mjs), and a round can be much faster
  // than the one it was estimated from.
  const count = Math.ceil(Math.max(estimatedRps, 2000) * seconds * 2.5) + connections * 4 + 500;
  const pool = presign(pathName, svc.host, svc.accounts, count);
  return loadRound({
    target: svc,
    connections,
    seconds,
    pool,
    cyclic: false,
    check: pathName === 'query' ? checks.query(svc.queryNumbers) : checks.add(),
    stats: statsOf(svc),
  });
}

/** A round of the bare server, or of a durable-write reference (`target`) with the same requests. */
async function bareRound(bare, svc, pathName, connections, seconds, target = bare) {
  bare.pools ??= {};
  bare.pools[pathName] ??= presign(pathName, bare.host, svc.accounts, 8192, false);
  return loadRound({
    target,
    connections,
    seconds,
    pool: bare.pools[pathName],
    cyclic: true,
    check: checks.bare(),
    stats: statsOf(target),
  });
}

function summarizeRounds(rounds) {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50Ms: median(rounds.map((r) => r.latencyMs.p50)),
    p99Ms: median(rounds.map((r) => r.latencyMs.p99)),
    serverCpuPct: median(rounds.map((r) => r.serverCpuPct)),
    generatorCpuPct: median(rounds.map((r) => r.generatorCpuPct)),
    loopDelayMaxMs: Math.max(...rounds.map((r) => r.server?.loopDelayMs?.max ?? NaN)),
    eventLoopUtilization: median(rounds.map((r) => r.server?.eventLoopUtilization ?? NaN)),
    loopDelayP99Ms: median(rounds.map((r) => r.server?.loopDelayMs?.p99)),
    gcMsPerSecond: median(rounds.map((r) => (r.server?.gc ? r.server.gc.ms / r.seconds : NaN))),
    writeSyscallsPerRequest: median(rounds.map((r) => r.writeSyscallsPerRequest)),
    storageWriteBytesPerRequest: median(rounds.map((r) => r.storageWriteBytesPerRequest)),
    requests: rounds.reduce((a, r) => a + r.requests, 0),
    failedRequests: rounds.reduce((a, r) => a + r.bad + r.connectionErrors + r.timeouts, 0),
  };
}

/**
 * Before each path: waits (up to SETTLE_TIMEOUT_MS) until the service has no number left in transition,
 * so a path is not measured while the reconciler applies the name reviews of the seed or of the previous
 * path's Adds (Meta decides 5 s after an Add; the reconciler passes every CAMS_SYNC_INTERVAL_MS). That
 * catch-up is real work, measured on its own here and in the sustained run, where both paths load the
 * service together.
 */
const SETTLE_TIMEOUT_MS = 180_000;
async function settle(svc) {
  if (!cfg.background) return;
  const t0 = performance.now();
  const first = await ask(svc.child, { type: 'stats', counts: true }, 'stats');
  let pending = first.inTransition;
  while (pending > 0 && performance.now() - t0 < SETTLE_TIMEOUT_MS) {
    await sleep(500);
    pending = (await ask(svc.child, { type: 'stats', counts: true }, 'stats')).inTransition;
  }
  const seconds = (performance.now() - t0) / 1000;
  const outcome =
    pending === 0 ? 'applied' : `not applied after ${SETTLE_TIMEOUT_MS / 1000} s: ${pending} left`;
  log(`settle: ${first.inTransition} numbers in review ${outcome} (${seconds.toFixed(1)} s)`);
  settles.push({ numbersInReview: first.inTransition, seconds, left: pending });
}
const settles = [];

async function scenarios(bare, svc, durable, failures) {
  const results = [];
  const estimate = {};
  for (const pathName of cfg.paths) {
    await settle(svc);
    for (const connections of cfg.connections) {
      const label = `${pathName} c=${connections}`;
      // Warm-up (not recorded): JIT, connections, and the service's rate for sizing its pools.
      await bareRound(bare, svc, pathName, connections, cfg.warmupSeconds);
      // Sized for at least 4000 req/s: more connections can be several times faster than fewer.
      const warm = await serviceRound(
        svc,
        pathName,
        connections,
        cfg.warmupSeconds,
        Math.max(estimate[pathName] ?? 0, 4000),
      );
      if (warm.failed) {
        failures.push({ scenario: `${label} (warm-up)`, badCodes: warm.badCodes, samples: warm.badSamples });
      }
      estimate[pathName] = Math.max(estimate[pathName] ?? 0, warm.rps);
      // The durable-write references run in the write path's rounds only.
      const refs = pathName === 'add' ? Object.keys(durable) : [];
      for (const mode of refs) {
        await bareRound(bare, svc, pathName, connections, cfg.warmupSeconds, durable[mode]);
      }
      const rounds = { bare: [], service: [], ...Object.fromEntries(refs.map((m) => [m, []])) };
      const servers = ['bare', 'service', ...refs];
      for (let r = 0; r < cfg.rounds; r++) {
        // ABBA order: drift within a scenario falls on all servers alike.
        const order = r % 2 === 0 ? servers : [...servers].reverse();
        for (const who of order) {
          await sleep(300);
          const res =
            who === 'bare'
              ? await bareRound(bare, svc, pathName, connections, cfg.roundSeconds)
              : who === 'service'
                ? await serviceRound(svc, pathName, connections, cfg.roundSeconds, estimate[pathName])
                : await bareRound(bare, svc, pathName, connections, cfg.roundSeconds, durable[who]);
          if (who === 'service') estimate[pathName] = Math.max(estimate[pathName], res.rps);
          rounds[who].push(res);
          if (res.failed) {
            failures.push({
              scenario: `${label} ${who} round ${r + 1}`,
              badCodes: res.badCodes,
              non2xx: res.non2xx,
              connectionErrors: res.connectionErrors,
              timeouts: res.timeouts,
              samples: res.badSamples,
            });
          }
          log(
            `${label.padEnd(12)} ${who.padEnd(7)} round ${r + 1}: ${res.rps.toFixed(0).padStart(6)} req/s  p50 ${res.latencyMs.p50.toFixed(2)} ms  p99 ${res.latencyMs.p99.toFixed(2)} ms  cpu ${res.serverCpuPct.toFixed(0)}%  gen ${res.generatorCpuPct.toFixed(0)}%${res.server?.eventLoopUtilization === undefined ? '' : `  loop busy ${(res.server.eventLoopUtilization * 100).toFixed(0)}%`}${res.failed ? '  FAILED ' + JSON.stringify(res.badCodes) : ''}${res.poolExhausted ? '  (pool exhausted, stopped early)' : ''}`,
          );
        }
      }
      const b = summarizeRounds(rounds.bare);
      const s = summarizeRounds(rounds.service);
      const pairRatio = (who, f, to = 'bare') => median(rounds[who].map((sr, i) => f(sr) / f(rounds[to][i])));
      const ratios = (who, to) => ({
        throughput: pairRatio(who, (r) => r.rps, to),
        p50: pairRatio(who, (r) => r.latencyMs.p50, to),
        p99: pairRatio(who, (r) => r.latencyMs.p99, to),
      });
      results.push({
        path: pathName === 'add' ? 'AddChatappPhoneNumber' : 'QueryChatappPhoneNumbers',
        connections,
        bare: b,
        service: s,
        ratio: ratios('service'),
        ...(refs.length > 0 && {
          durable: Object.fromEntries(
            refs.map((m) => [
              m,
              { ...summarizeRounds(rounds[m]), ratio: ratios(m), serviceRatio: ratios('service', m) },
            ]),
          ),
        }),
        rounds,
      });
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------
// Sustained run: a fresh service process on the same data, Add and Query alternating at full load.

async function sustained(dataDir, failures) {
  if (cfg.sustainedSeconds <= 0) return undefined;
  // A fresh process on the data of the scenarios, so the figures are "N seconds after start".
  const svc = await startService({
    dataDir,
    reuse: true,
    logLevel: cfg.logLevel,
    background: cfg.background,
  });
  const samples = [];
  const t0 = performance.now();
  const sampleRss = () =>
    samples.push({ t: (performance.now() - t0) / 1000, rssMB: rssBytes(svc.pid) / 2 ** 20 });
  sampleRss();
  const timer = setInterval(sampleRss, 1000);
  const segments = [];
  let loadSeconds = 0;
  const estimate = { add: 500, query: 2000 };
  const total = { add: 0, query: 0 };
  try {
    while ((performance.now() - t0) / 1000 < cfg.sustainedSeconds) {
      const seconds = Math.min(
        cfg.sustainedSegmentSeconds,
        cfg.sustainedSeconds - (performance.now() - t0) / 1000,
      );
      if (seconds < 1) break;
      // Both paths at once, each with its own connections: the service at full load.
      const round = (pathName, stats) =>
        loadRound({
          target: svc,
          connections: cfg.sustainedConnections,
          seconds,
          pool: presign(
            pathName,
            svc.host,
            svc.accounts,
            Math.ceil(Math.max(estimate[pathName], 1000) * seconds * 2.5) +
              cfg.sustainedConnections * 4 +
              300,
          ),
          cyclic: false,
          check: pathName === 'query' ? checks.query(svc.queryNumbers) : checks.add(),
          stats,
        });
      const [add, query] = await Promise.all([round('add', statsOf(svc)), round('query', undefined)]);
      loadSeconds += Math.max(add.seconds, query.seconds);
      for (const [name, res] of [
        ['add', add],
        ['query', query],
      ]) {
        estimate[name] = Math.max(estimate[name] * 0.5, res.rps, 100);
        total[name] += res.ok;
        if (res.failed) {
          failures.push({
            scenario: `sustained ${name} segment ${segments.length + 1}`,
            badCodes: res.badCodes,
            non2xx: res.non2xx,
            connectionErrors: res.connectionErrors,
            timeouts: res.timeouts,
            samples: res.badSamples,
          });
        }
      }
      const server = add.server;
      segments.push({
        t: Math.round((performance.now() - t0) / 1000),
        addRps: add.rps,
        queryRps: query.rps,
        addP99Ms: add.latencyMs.p99,
        queryP99Ms: query.latencyMs.p99,
        serverCpuPct: add.serverCpuPct,
        rssMB: server.rss / 2 ** 20,
        heapUsedMB: server.heapUsed / 2 ** 20,
        externalMB: server.external / 2 ** 20,
        nonceCacheSize: server.nonceCacheSize,
        limiterKeys: server.limiterKeys,
        phoneNumbers: server.phoneNumbers,
        walMB: server.walBytes / 2 ** 20,
        dbMB: server.dbBytes / 2 ** 20,
        loopDelayMaxMs: server.loopDelayMs.max,
      });
      const s = segments.at(-1);
      log(
        `sustained t=${String(s.t).padStart(4)} s: add ${s.addRps.toFixed(0)} + query ${s.queryRps.toFixed(0)} req/s  p99 ${s.addP99Ms.toFixed(0)}/${s.queryP99Ms.toFixed(0)} ms  RSS ${s.rssMB.toFixed(0)} MB  heap ${s.heapUsedMB.toFixed(0)} MB  nonces ${s.nonceCacheSize}  WAL ${s.walMB.toFixed(1)} MB${add.failed || query.failed ? '  FAILED' : ''}`,
      );
    }
  } finally {
    clearInterval(timer);
    sampleRss();
    await stop(svc);
  }
  const rss = samples.map((s) => s.rssMB);
  const last = segments.at(-1);
  const mid = segments[Math.floor(segments.length / 2)];
  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds: Math.round(seconds),
    connections: `${cfg.sustainedConnections} for Add + ${cfg.sustainedConnections} for Query, concurrently`,
    // Share of the time under load (the rest is signing the next segment's requests).
    dutyCycle: loadSeconds / seconds,
    rssStartMB: rss[0],
    rssEndMB: rss.at(-1),
    rssMaxMB: Math.max(...rss),
    rssGrowthMBPerMinuteSecondHalf:
      last && mid && last.t > mid.t ? ((last.rssMB - mid.rssMB) / (last.t - mid.t)) * 60 : undefined,
    nonceCacheEnd: last?.nonceCacheSize,
    addRequests: total.add,
    queryRequests: total.query,
    meanRps: (total.add + total.query) / seconds,
    segments,
    rssSamples: samples,
  };
}

// ---------------------------------------------------------------------------------------------------
// The nonce cache's memory per entry (the service keeps every nonce 30 minutes), and what it means at
// a given request rate.

function nonceFootprint(rates) {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', path.join(ROOT, 'bench/nonce-footprint.mjs'), '200000'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').at(-1) };
  const { bytesPerEntry } = JSON.parse(r.stdout);
  // A nonce is kept until its request's timestamp + 15 minutes: 15 minutes after receipt for a client
  // whose clock is right (as the benchmark's is), 30 at most.
  const retentionSeconds = 15 * 60;
  return {
    bytesPerEntry,
    retentionSeconds,
    projections: rates
      .filter((x) => Number.isFinite(x.rps) && x.rps > 0)
      .map(({ label, rps }) => ({
        label,
        rps: Math.round(rps),
        after300sMB: (rps * 300 * bytesPerEntry) / 2 ** 20,
        steadyStateMB: (rps * retentionSeconds * bytesPerEntry) / 2 ** 20,
      })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Report.

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');

function table(report) {
  const lines = [];
  lines.push(
    `cams-server benchmark (${report.config.mode}) ${report.startedAt}  commit ${report.environment.commit.slice(0, 12)}  node ${report.environment.node}  ${report.environment.cpuCount}x ${report.environment.cpuModel}`,
  );
  lines.push('');
  const head = [
    'path',
    'conns',
    'bare req/s',
    'svc req/s',
    'ratio',
    'bare p50',
    'svc p50',
    'bare p99',
    'svc p99',
    'p99 ×',
    'bare cpu',
    'svc cpu',
    'gen cpu',
    'loop max',
  ];
  const rows = report.scenarios.map((s) => [
    s.path.replace('ChatappPhoneNumbers', 'PhoneNumbers').replace('ChatappPhoneNumber', 'PhoneNumber'),
    String(s.connections),
    fmt(s.bare.rps),
    fmt(s.service.rps),
    fmt(s.ratio.throughput, 3),
    `${fmt(s.bare.p50Ms, 2)} ms`,
    `${fmt(s.service.p50Ms, 2)} ms`,
    `${fmt(s.bare.p99Ms, 2)} ms`,
    `${fmt(s.service.p99Ms, 2)} ms`,
    fmt(s.ratio.p99, 1),
    `${fmt(s.bare.serverCpuPct)}%`,
    `${fmt(s.service.serverCpuPct)}%`,
    `${fmt(s.service.generatorCpuPct)}%`,
    `${fmt(s.service.loopDelayMaxMs, 1)} ms`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  lines.push(line(head));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) lines.push(line(r));
  lines.push('');
  lines.push('ratio = service/bare throughput (median of same-round pairs); p99 × = service p99 / bare p99.');
  lines.push(
    'bare cpu / svc cpu = CPU of that server during its rounds; gen cpu = the load generator during the service rounds; loop max = worst event-loop delay of the service.',
  );
  lines.push(...durableTable(report));
  if (report.coldStart) {
    const c = report.coldStart;
    lines.push(
      `cold start (median of ${c.runs.length}): bare ${fmt(c.bareMs)} ms; service first start ${fmt(c.serviceFirstStartMs)} ms (${fmt(c.ratioFirstStart, 2)}×), restart ${fmt(c.serviceRestartMs)} ms (${fmt(c.ratioRestart, 2)}×)`,
    );
  }
  if (report.sustained) {
    const s = report.sustained;
    lines.push(
      `sustained ${s.seconds} s (${fmt(100 * s.dutyCycle)}% under load), ${s.connections} (${fmt(s.meanRps)} req/s): RSS ${fmt(s.rssStartMB)} MB -> ${fmt(s.rssEndMB)} MB (max ${fmt(s.rssMaxMB)} MB, ${fmt(s.rssGrowthMBPerMinuteSecondHalf, 1)} MB/min in the second half); nonce cache ${s.nonceCacheEnd}`,
    );
  }
  if (report.nonceCache?.bytesPerEntry) {
    const n = report.nonceCache;
    lines.push(
      `nonce cache: ${fmt(n.bytesPerEntry)} bytes per entry, kept ${n.retentionSeconds / 60} min; ` +
        n.projections
          .map(
            (p) =>
              `${p.rps} req/s -> ${fmt(p.after300sMB)} MB after 300 s, ${fmt(p.steadyStateMB)} MB steady`,
          )
          .join('; '),
    );
  }
  lines.push('');
  lines.push('targets:');
  for (const t of report.targets) {
    lines.push(
      `  ${t.met === undefined ? 'n/a ' : t.met ? 'MET ' : 'MISS'}  ${t.name}: ${t.value} (target ${t.target})`,
    );
  }
  lines.push('');
  lines.push(
    report.failed
      ? `RESULT: FAILED (${report.failures.length} rounds with unexpected answers or errors; see JSON)`
      : 'RESULT: all answers checked, no unexpected errors',
  );
  return lines.join('\n');
}

/** The durable-write references beside the Add rounds: what any durable answer costs here. */
function durableTable(report) {
  const withRefs = report.scenarios.filter((s) => s.durable);
  if (withRefs.length === 0) return [];
  const modes = Object.keys(withRefs[0].durable);
  const head = ['Add rounds', 'bare req/s'];
  for (const m of modes) head.push(`${m} req/s`, 'ratio', 'p99 ×');
  head.push(...modes.map((m) => `svc/${m}`));
  const rows = withRefs.map((s) => [
    `conns ${s.connections}`,
    fmt(s.bare.rps),
    ...modes.flatMap((m) => [
      fmt(s.durable[m].rps),
      fmt(s.durable[m].ratio.throughput, 3),
      fmt(s.durable[m].ratio.p99, 1),
    ]),
    ...modes.map((m) => fmt(s.durable[m].serviceRatio.throughput, 3)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    '',
    'durable-write references, in the same rounds (bench/durable-server.mjs: the bare server, answering only once',
    'the request body is durable; log = preallocated file + fdatasync, sqlite = one row, WAL + fsync; per loop turn):',
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    "ratio / p99 × = reference vs bare; svc/<ref> = service Add throughput / that reference's.",
  ];
}

function targets(report) {
  const at10 = (p) => report.scenarios.find((s) => s.connections === 10 && s.path === p);
  const add = at10('AddChatappPhoneNumber');
  const query = at10('QueryChatappPhoneNumbers');
  const t = [];
  const push = (name, value, target, met, shown) =>
    t.push({
      name,
      value: Number.isFinite(value) ? shown(value) : '-',
      target,
      met: Number.isFinite(value) ? met(value) : undefined,
      raw: value,
    });
  push(
    'Add throughput at 10 conns vs bare',
    add?.ratio.throughput,
    '>= 0.30×',
    (v) => v >= 0.3,
    (v) => `${v.toFixed(3)}×`,
  );
  push(
    'Query throughput at 10 conns vs bare',
    query?.ratio.throughput,
    '>= 0.45×',
    (v) => v >= 0.45,
    (v) => `${v.toFixed(3)}×`,
  );
  push(
    'Add p99 at 10 conns vs bare p99',
    add?.ratio.p99,
    '<= 4×',
    (v) => v <= 4,
    (v) => `${v.toFixed(1)}×`,
  );
  push(
    'cold start (first start) vs bare',
    report.coldStart?.ratioFirstStart,
    '<= 5×',
    (v) => v <= 5,
    (v) => `${v.toFixed(2)}×`,
  );
  push(
    'cold start (restart) vs bare',
    report.coldStart?.ratioRestart,
    '<= 5×',
    (v) => v <= 5,
    (v) => `${v.toFixed(2)}×`,
  );
  const sustainedFull = report.sustained && report.sustained.seconds >= 295;
  push(
    `RSS after ${report.sustained?.seconds ?? 0} s at full load${sustainedFull ? '' : ' (target is after 300 s)'}`,
    report.sustained?.rssEndMB,
    '<= 256 MB after 300 s',
    (v) => (sustainedFull ? v <= 256 : v <= 256 ? undefined : false),
    (v) => `${v.toFixed(0)} MB`,
  );
  return t;
}

function writeReport(report) {
  const dir = path.join(args.out, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const text = JSON.stringify(
    report,
    (k, v) => (k === 'rssSamples' ? v.map((s) => [+s.t.toFixed(1), +s.rssMB.toFixed(1)]) : v),
    2,
  );
  const file = path.join(dir, `${stamp}.json`);
  writeFileSync(file, text);
  writeFileSync(path.join(dir, 'latest.json'), text);
  return file;
}

// ---------------------------------------------------------------------------------------------------
// Profile mode.

async function profileMode(seconds) {
  const dir = path.join(args.out, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cams-bench-prof-'));
  const summaries = {};
  try {
    // Start-up: `cams serve` on an empty data directory to its first answered SDK call.
    const startupDir = mkdtempSync(path.join(os.tmpdir(), 'cams-bench-cold-'));
    const startupMs = await coldStartService(await loadSdk(), startupDir, [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      '--cpu-prof-name=startup.cpuprofile',
    ]);
    rmSync(startupDir, { recursive: true, force: true });
    const startupFile = path.join(dir, 'startup.cpuprofile');
    summaries.startup = {
      firstAnswerMs: startupMs,
      profile: startupFile,
      note: 'whole process life: start, first SDK call, SIGTERM shutdown',
      ...summarize(JSON.parse(readFileSync(startupFile, 'utf8'))),
    };
    const seeded = await startService({
      dataDir,
      accounts: cfg.accounts,
      queryNumbers: cfg.queryNumbers,
      logLevel: cfg.logLevel,
      background: cfg.background,
    });
    await stop(seeded);
    for (const pathName of cfg.paths) {
      const svc = await startService({
        dataDir,
        reuse: true,
        logLevel: cfg.logLevel,
        background: cfg.background,
      });
      try {
        const warm = await serviceRound(svc, pathName, 10, 3, 4000);
        await ask(svc.child, { type: 'profile-start' }, 'profile-started');
        const res = await serviceRound(svc, pathName, 10, seconds, warm.rps);
        const file = path.join(dir, `${pathName}.cpuprofile`);
        await ask(svc.child, { type: 'profile-stop', file }, 'profile-stopped');
        const summary = summarize(JSON.parse(readFileSync(file, 'utf8')));
        summaries[pathName] = {
          rps: res.rps,
          latencyMs: res.latencyMs,
          failed: res.failed,
          badCodes: res.badCodes,
          serverCpuPct: res.serverCpuPct,
          loopDelayMs: res.server.loopDelayMs,
          gc: res.server.gc,
          writeSyscallsPerRequest: res.writeSyscallsPerRequest,
          storageWriteBytesPerRequest: res.storageWriteBytesPerRequest,
          profile: file,
          ...summary,
        };
        log(`profile ${pathName}: ${res.rps.toFixed(0)} req/s, written ${file}`);
      } finally {
        await stop(svc);
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summaries, null, 2));
  for (const [p, s] of Object.entries(summaries)) {
    console.log(
      p === 'startup'
        ? `\n=== startup: first SDK answer after ${s.firstAnswerMs.toFixed(0)} ms; profile busy ${s.busyMs} ms of ${s.wallMs} ms`
        : `\n=== ${p}: ${s.rps.toFixed(0)} req/s at 10 connections, service CPU ${s.serverCpuPct.toFixed(0)}%, busy ${s.busyPct}% of profile; loop delay p99 ${s.loopDelayMs.p99.toFixed(1)} ms max ${s.loopDelayMs.max.toFixed(1)} ms; GC ${s.gc.ms.toFixed(0)} ms in ${s.gc.count} pauses; ${fmt(s.writeSyscallsPerRequest, 1)} write syscalls/request`,
    );
    console.log('categories (% of busy time):');
    for (const c of s.categories.slice(0, 16)) console.log(`  ${String(c.pct).padStart(5)}%  ${c.name}`);
    console.log('categories, inclusive of callees (% of busy time):');
    for (const c of s.categoriesInclusive.slice(0, 12))
      console.log(`  ${String(c.pct).padStart(5)}%  ${c.name}`);
    console.log('top self time:');
    for (const f of s.selfTop.slice(0, 25))
      console.log(`  ${String(f.pct).padStart(5)}%  ${f.fn}  ${f.at}  [${f.category}]`);
    console.log('service functions, inclusive:');
    for (const f of s.serviceInclusiveTop.slice(0, 20))
      console.log(`  ${String(f.pct).padStart(5)}%  ${f.fn}  ${f.at}`);
  }
  console.log(`\nprofiles and summary: ${dir}`);
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  selfTest();
  build();
  if (args.profile !== undefined) return profileMode(Number(args.profile) || 20);
  const startedAt = new Date().toISOString();
  const env = environment();
  log(`${cfg.mode} run; commit ${env.commit}; ${env.cpuCount}x ${env.cpuModel}; node ${env.node}`);
  const failures = [];
  const coldStart = await coldStarts(cfg.coldStarts);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cams-bench-'));
  let svc;
  let bare;
  const durable = {};
  let report;
  try {
    const seedStart = performance.now();
    svc = await startService({
      dataDir,
      accounts: cfg.accounts,
      queryNumbers: cfg.queryNumbers,
      logLevel: cfg.logLevel,
      background: cfg.background,
    });
    log(
      `service ready: ${svc.accounts.length} accounts seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s, port ${svc.port}`,
    );
    bare = await startBare();
    if (cfg.paths.includes('add')) {
      for (const mode of cfg.durable) durable[mode] = await startDurable(mode);
    }
    const scenarioResults = await scenarios(bare, svc, durable, failures);
    const idle = { serviceRssMB: rssBytes(svc.pid) / 2 ** 20, bareRssMB: rssBytes(bare.pid) / 2 ** 20 };
    await stop(bare);
    for (const ref of Object.values(durable)) await stop(ref);
    await stop(svc);
    const sustainedResult = await sustained(dataDir, failures);
    const maxServiceRps = Math.max(
      ...scenarioResults.map((s) => s.service.rps),
      sustainedResult?.meanRps ?? 0,
    );
    report = {
      startedAt,
      environment: env,
      config: { ...cfg, maxServiceRpsPerAccount: maxServiceRps / cfg.accounts },
      scenarios: scenarioResults,
      settles,
      afterScenarios: idle,
      coldStart,
      sustained: sustainedResult,
      failures,
      failed: failures.length > 0,
    };
    if (maxServiceRps / cfg.accounts > 5) {
      report.warnings = [
        `${(maxServiceRps / cfg.accounts).toFixed(1)} req/s per account: raise --accounts (flow control is 10 per account)`,
      ];
    }
    const query10 = scenarioResults.find(
      (s) => s.connections === 10 && s.path === 'QueryChatappPhoneNumbers',
    );
    report.nonceCache = nonceFootprint([
      { label: 'highest service rate measured in this run', rps: maxServiceRps },
      {
        label: 'Query target rate (0.45 × bare at 10 connections)',
        rps: query10 ? 0.45 * query10.bare.rps : NaN,
      },
      { label: 'bare server at 10 connections', rps: query10?.bare.rps },
    ]);
    report.targets = targets(report);
  } finally {
    if (bare) await stop(bare);
    for (const ref of Object.values(durable)) await stop(ref);
    if (svc) await stop(svc);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const file = writeReport(report);
  console.log(table(report));
  if (report.warnings) console.log(`warnings: ${report.warnings.join('; ')}`);
  console.log(
    `\nJSON: ${path.relative(ROOT, file)} (and ${path.relative(ROOT, path.join(path.dirname(file), 'latest.json'))})`,
  );
  process.exitCode = report.failed ? 1 : 0;
}

await main();
