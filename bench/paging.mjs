#!/usr/bin/env node
// `npm run bench -- --paging`: what QueryChatappPhoneNumbers costs as a space grows. One service process
// (bench/serve-entry.mjs with `paging`) holds three spaces of 10, 1,000 and 10,000 numbers (written
// straight into the store); the same load generator queries each space's first page (25 numbers at
// most, docs/actions.md) and the 10,000-number space's last page (NextToken), in interleaved rounds,
// every answer checked. Ratios are against the 10-number space, over same-round pairs. See
// docs/PERFORMANCE.md, "Reads as spaces grow".
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadRound } from './lib/load.mjs';
import { ask, ROOT, startService, stop } from './lib/procs.mjs';
import { median } from './lib/requests.mjs';
import { NonceSource, selfTest, signedRequest, timestamp } from './lib/sign.mjs';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--paging'),
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string', default: '1,10' },
    sizes: { type: 'string', default: '10,1000,10000' },
    'log-level': { type: 'string', default: 'warn' },
    'skip-build': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(ROOT, '.bench') },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`usage: npm run bench -- --paging [options]   (or node bench/paging.mjs [options])
QueryChatappPhoneNumbers on spaces of 10, 1,000 and 10,000 numbers, side by side: req/s, p50, p99 and
answer size of each space's first page, and of the largest space's last page, with ratios to the
smallest space (median and range over same-round pairs). Full ~3 min, --quick ~40 s.
  --quick               1 s warm-up, 2 rounds of 2 s per space, 10 connections only
  --rounds <n>          measured rounds per space and scenario (default 4, quick 2)
  --duration <s>        seconds per round (default 5, quick 2)
  --connections <list>  default 1,10 (quick: 10)
  --sizes <list>        space sizes, the first one the reference (default 10,1000,10000)
  --log-level <level>   the service's log level (default warn; logs go to /dev/null)
  --skip-build          use dist/ as it is
  --out <dir>           results directory (default .bench; JSON in <dir>/results/paging-*.json)`);
  process.exit(0);
}

const quick = args.quick;
const cfg = {
  mode: quick ? 'quick' : 'full',
  sizes: args.sizes.split(',').map(Number),
  rounds: Number(args.rounds ?? (quick ? 2 : 4)),
  roundSeconds: Number(args.duration ?? (quick ? 2 : 5)),
  warmupSeconds: quick ? 1 : 2,
  connections: (quick && !process.argv.includes('--connections') ? '10' : args.connections)
    .split(',')
    .map(Number),
  store:
    'SQLite (WAL, synchronous=FULL) in a fresh temporary data directory, numbers written straight into it',
  background: 'off (no reconciler: the seeded numbers are settled and unknown to the simulator)',
  flowControl: 'memory, every limit ×1000 (one account per space carries the load)',
};
const log = (...a) => console.error('[bench paging]', ...a);

function build() {
  if (args['skip-build']) return;
  log('npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed');
}

const nonces = new NonceSource();
/** `count` signed Query requests of one scenario (a space, first or last page). */
function presign(svc, scenario, count) {
  const date = timestamp();
  const a = scenario.account;
  const key = { accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret };
  return Array.from({ length: count }, () =>
    signedRequest({
      host: svc.host,
      action: 'QueryChatappPhoneNumbers',
      query: { CustSpaceId: a.spaceId, ...(scenario.nextToken ? { NextToken: scenario.nextToken } : {}) },
      key,
      nonce: nonces.next(),
      date,
    }),
  );
}

/** The answer a scenario must get: the page's numbers, and NextToken exactly when more follow. */
const checkOf = (scenario) => (json) =>
  Array.isArray(json.PhoneNumbers) &&
  json.PhoneNumbers.length === scenario.expected &&
  (json.NextToken !== undefined) === scenario.more;

/** One answer of the scenario, for its size in bytes (and a check outside the load). */
function sample(svc, scenario) {
  const [req] = presign(svc, scenario, 1);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      { host: '127.0.0.1', port: svc.port, method: req.method, path: req.path, headers: req.headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const json = JSON.parse(body.toString());
          if (!checkOf(scenario)(json))
            reject(new Error(`${scenario.name}: unexpected answer ${body.slice(0, 300)}`));
          else resolve(body.length);
        });
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

async function round(svc, scenario, connections, seconds) {
  const count = Math.ceil(Math.max(scenario.estimatedRps ?? 4000, 2000) * seconds * 2.5) + 500;
  return loadRound({
    target: svc,
    connections,
    seconds,
    pool: presign(svc, scenario, count),
    cyclic: false,
    check: checkOf(scenario),
    stats: (reset) => ask(svc.child, { type: 'stats', reset, counts: false }, 'stats'),
  });
}

const cpuUs = (round) => (round.serverCpuPct * 1e4) / round.rps;
const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

async function main() {
  selfTest();
  build();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    /* not a checkout */
  }
  const { encodeNextToken, DEFAULT_RESULTS } = await import('../dist/actions/paging.js');
  const startedAt = new Date().toISOString();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cams-bench-paging-'));
  let svc;
  const failures = [];
  const results = [];
  try {
    const t0 = Date.now();
    svc = await startService({
      dataDir,
      paging: { sizes: cfg.sizes, pageSize: DEFAULT_RESULTS },
      logLevel: args['log-level'],
      background: false,
    });
    log(
      `seeded ${cfg.sizes.join(', ')} numbers in ${((Date.now() - t0) / 1000).toFixed(1)} s, port ${svc.port}`,
    );
    const scenarios = svc.accounts.map((account) => ({
      name: `${account.size} numbers, first page`,
      size: account.size,
      account,
      expected: Math.min(account.size, DEFAULT_RESULTS),
      more: account.size > DEFAULT_RESULTS,
    }));
    const largest = svc.accounts.at(-1);
    if (largest.lastPageAfter !== undefined) {
      scenarios.push({
        name: `${largest.size} numbers, last page`,
        size: largest.size,
        account: largest,
        nextToken: encodeNextToken({ custSpaceId: largest.spaceId, e164: largest.lastPageAfter }),
        expected: DEFAULT_RESULTS,
        more: false,
      });
    }
    for (const s of scenarios) s.answerBytes = await sample(svc, s);
    for (const connections of cfg.connections) {
      for (const s of scenarios) {
        const warm = await round(svc, s, connections, cfg.warmupSeconds);
        s.estimatedRps = warm.rps;
      }
      const rounds = new Map(scenarios.map((s) => [s, []]));
      for (let r = 0; r < cfg.rounds; r++) {
        // ABC CBA ...: no scenario always runs first or last.
        const order = r % 2 === 0 ? scenarios : [...scenarios].reverse();
        for (const s of order) {
          const res = await round(svc, s, connections, cfg.roundSeconds);
          if (res.failed)
            failures.push({
              scenario: s.name,
              connections,
              round: r,
              badCodes: res.badCodes,
              badSamples: res.badSamples,
            });
          rounds.get(s).push(res);
          log(
            `${s.name} c=${connections} round ${r + 1}: ${res.rps.toFixed(0)} req/s, p50 ${res.latencyMs.p50.toFixed(2)} ms, p99 ${res.latencyMs.p99.toFixed(2)} ms`,
          );
        }
      }
      const reference = rounds.get(scenarios[0]);
      for (const s of scenarios) {
        const mine = rounds.get(s);
        results.push({
          scenario: s.name,
          size: s.size,
          connections,
          answerBytes: s.answerBytes,
          rps: median(mine.map((x) => x.rps)),
          p50Ms: median(mine.map((x) => x.latencyMs.p50)),
          p99Ms: median(mine.map((x) => x.latencyMs.p99)),
          serverCpuPct: median(mine.map((x) => x.serverCpuPct)),
          // The service's CPU per answered request: the cost without the generator's share of the machine.
          cpuUsPerRequest: median(mine.map(cpuUs)),
          cpuRatio: spread(mine.map((x, i) => cpuUs(x) / cpuUs(reference[i]))),
          // Same-round pairs against the smallest space: throughput (reference / this: the cost) and latency.
          costRatio: spread(mine.map((x, i) => reference[i].rps / x.rps)),
          p50Ratio: spread(mine.map((x, i) => x.latencyMs.p50 / reference[i].latencyMs.p50)),
          p99Ratio: spread(mine.map((x, i) => x.latencyMs.p99 / reference[i].latencyMs.p99)),
          rounds: mine.map((x) => ({ rps: x.rps, latencyMs: x.latencyMs, serverCpuPct: x.serverCpuPct })),
        });
      }
    }
  } finally {
    if (svc) await stop(svc);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const largestFirst = results.filter((r) => r.scenario === `${cfg.sizes.at(-1)} numbers, first page`);
  const targets = largestFirst.map((r) => ({
    name: `Query cost, ${r.size}-number space vs ${cfg.sizes[0]}, ${r.connections} connections`,
    value: r.costRatio.median,
    target: '<= 2×',
    met: r.costRatio.median <= 2,
  }));
  const report = {
    startedAt,
    commit,
    node: process.version,
    cpu: `${os.cpus().length}x ${os.cpus()[0]?.model ?? 'unknown'}`,
    config: cfg,
    results,
    targets,
    failures,
    failed: failures.length > 0,
  };
  const dir = path.join(args.out, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `paging-${startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  const range = (r) => `${f(r.median)} (${f(r.min)}-${f(r.max)})`;
  console.log(
    `QueryChatappPhoneNumbers as spaces grow (${cfg.mode}), ${startedAt}, commit ${commit.slice(0, 12)}, node ${process.version}`,
  );
  console.log(
    'scenario                       conns  bytes    req/s   p50 ms   p99 ms  CPU µs  cost × (req/s)    p50 ×             p99 ×             CPU ×',
  );
  for (const r of results) {
    console.log(
      `${r.scenario.padEnd(30)} ${String(r.connections).padStart(5)} ${String(r.answerBytes).padStart(6)} ${f(r.rps, 0).padStart(8)} ${f(r.p50Ms).padStart(8)} ${f(r.p99Ms).padStart(8)} ${f(r.cpuUsPerRequest, 0).padStart(7)}  ${range(r.costRatio).padEnd(16)} ${range(r.p50Ratio).padEnd(17)} ${range(r.p99Ratio).padEnd(17)} ${range(r.cpuRatio)}`,
    );
  }
  console.log(
    `cost × = req/s of the ${cfg.sizes[0]}-number space / this scenario's, in the same round; p50 ×, p99 × and CPU × (the service's CPU per request) = this / the ${cfg.sizes[0]}-number space's.`,
  );
  for (const t of targets)
    console.log(`${t.met ? 'MET ' : 'MISS'}  ${t.name}: ${f(t.value)}× (target ${t.target})`);
  console.log(
    failures.length
      ? `RESULT: FAILED (${failures.length} rounds with unexpected answers)`
      : 'RESULT: all answers checked',
  );
  console.log(`JSON: ${path.relative(ROOT, file)}`);
  process.exitCode = report.failed ? 1 : 0;
}

await main();
