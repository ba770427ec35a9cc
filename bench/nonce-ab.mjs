#!/usr/bin/env node
// `npm run bench -- --nonce-ab`: what keeping the nonces of state-changing requests in the store costs on
// the hot path (architecture.md, "Replay protection across restarts"). Two service processes on identical
// copies of one seeded store: STORED, as `cams serve` runs the embedded default (the in-memory table,
// and a claim in request_nonces inside the request's unit of work for a write), and MEMORY, the nonce
// cache before it (the in-memory table alone, lost on a restart), driven in interleaved rounds by the
// same load generator, every answer checked. See docs/PERFORMANCE.md, "Replay protection across restarts".
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadRound } from './lib/load.mjs';
import { ask, ROOT, startService, stop } from './lib/procs.mjs';
import { ACTIONS, checkOf, median, Requests } from './lib/requests.mjs';
import { selfTest } from './lib/sign.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string', default: '10,100' },
    paths: { type: 'string', default: 'add,query' },
    accounts: { type: 'string', default: '2000' },
    'query-numbers': { type: 'string', default: '2' },
    'log-level': { type: 'string', default: 'warn' },
    'no-background': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(ROOT, '.bench') },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`usage: npm run bench -- --nonce-ab [options]   (or node bench/nonce-ab.mjs [options])
Stored nonces (STORED, the embedded default) against the in-memory table alone (MEMORY, before): two
service processes on copies of one seeded store, same load generator, rounds in ABBA order, every
answer checked. Reports req/s, p50, p99 and CPU per request with STORED/MEMORY ratios (median and
range over the same-round pairs). Full ~6 min, --quick ~3 min.
  --quick               2 s warm-up, 3 rounds of 3 s per variant and scenario
  --rounds <n>          measured rounds per variant and scenario (default 6, quick 3)
  --duration <s>        seconds per round (default 5, quick 3)
  --connections <list>  default 10,100
  --paths <list>        default add,query (add writes: its nonce is stored; query reads: it is not)
  --accounts <n>        benchmark accounts (default 2000)
  --query-numbers <n>   numbers in each account's Query space (default 2)
  --log-level <level>   the services' log level (default warn; logs go to /dev/null)
  --no-background       without the webhook dispatcher, reconciler and prunes
  --skip-build          use dist/ as it is
  --out <dir>           results directory (default .bench; JSON in <dir>/results/nonce-ab-*.json)`);
  process.exit(0);
}

const quick = args.quick;
const cfg = {
  mode: quick ? 'quick' : 'full',
  accounts: Number(args.accounts),
  queryNumbers: Number(args['query-numbers']),
  roundSeconds: Number(args.duration ?? (quick ? 3 : 5)),
  warmupSeconds: quick ? 2 : 3,
  rounds: Number(args.rounds ?? (quick ? 3 : 6)),
  connections: args.connections.split(',').map(Number),
  paths: args.paths.split(','),
  logLevel: args['log-level'],
  background: !args['no-background'],
};
for (const p of cfg.paths) if (!ACTIONS[p]) throw new Error(`--paths: unknown path ${p} (add, query)`);

const log = (...a) => console.error('[bench nonces]', ...a);
const requests = new Requests();
const VARIANTS = ['stored', 'memory'];

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
  return { commit, node: process.version, cpuModel: cpus[0]?.model ?? 'unknown', cpuCount: cpus.length };
}

// ---------------------------------------------------------------------------------------------------
// The two services.

/** Seeds one store (its Meta reviews applied), copies it twice, and starts both variants on the copies. */
async function startPair(root) {
  const seedDir = path.join(root, 'seed');
  const t0 = performance.now();
  const seeder = await startService({
    dataDir: seedDir,
    accounts: cfg.accounts,
    queryNumbers: cfg.queryNumbers,
    logLevel: cfg.logLevel,
    background: cfg.background,
    metrics: false,
  });
  await settle({ seeder });
  await stop(seeder);
  for (const v of VARIANTS) cpSync(seedDir, path.join(root, v), { recursive: true });
  rmSync(seedDir, { recursive: true, force: true });
  log(`${cfg.accounts} accounts seeded and settled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const pair = {};
  for (const v of VARIANTS) {
    pair[v] = await startService({
      dataDir: path.join(root, v),
      reuse: true,
      logLevel: cfg.logLevel,
      background: cfg.background,
      nonces: v,
    });
  }
  // Each variant is what it claims: STORED keeps the Adds' nonces, MEMORY none (checked after the runs).
  return pair;
}

/** Waits until no number of any service is in review (the reconciler applies Meta's decisions). */
async function settle(pair) {
  if (!cfg.background) return;
  const t0 = performance.now();
  for (const svc of Object.values(pair)) {
    while (performance.now() - t0 < 180_000) {
      const { inTransition } = await ask(svc.child, { type: 'stats', counts: true }, 'stats');
      if (inTransition === 0) break;
      await sleep(500);
    }
  }
  log(`settled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const statsOf = (svc) => (reset) => ask(svc.child, { type: 'stats', reset, counts: false }, 'stats');

async function round(svc, pathName, connections, seconds, estimatedRps) {
  // Generous: a pool that runs out stops the round early (load.mjs); no request is replayed.
  const count = Math.ceil(Math.max(estimatedRps, 2000) * seconds * 2.5) + connections * 4 + 500;
  return loadRound({
    target: svc,
    connections,
    seconds,
    pool: requests.presign(pathName, svc.host, svc.accounts, count),
    cyclic: false,
    check: checkOf(pathName, svc),
    stats: statsOf(svc),
  });
}

// ---------------------------------------------------------------------------------------------------
// Scenarios.

const cpuUsPerRequest = (r) => (r.serverCpuPct / 100 / r.rps) * 1e6;
const METRICS = {
  rps: (r) => r.rps,
  p50Ms: (r) => r.latencyMs.p50,
  p99Ms: (r) => r.latencyMs.p99,
  cpuUsPerRequest,
};
const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

async function scenarios(pair, failures) {
  const results = [];
  for (const pathName of cfg.paths) {
    await settle(pair);
    let estimate = 4000;
    for (const connections of cfg.connections) {
      const label = `${pathName} c=${connections}`;
      for (const v of VARIANTS) {
        const warm = await round(pair[v], pathName, connections, cfg.warmupSeconds, estimate);
        estimate = Math.max(estimate, warm.rps);
        if (warm.failed) failures.push({ scenario: `${label} ${v} warm-up`, badCodes: warm.badCodes });
      }
      const rounds = { stored: [], memory: [] };
      for (let r = 0; r < cfg.rounds; r++) {
        for (const v of r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
          await sleep(300);
          const res = await round(pair[v], pathName, connections, cfg.roundSeconds, estimate);
          estimate = Math.max(estimate, res.rps);
          rounds[v].push(res);
          if (res.failed) {
            failures.push({
              scenario: `${label} ${v} round ${r + 1}`,
              badCodes: res.badCodes,
              non2xx: res.non2xx,
              connectionErrors: res.connectionErrors,
              timeouts: res.timeouts,
              samples: res.badSamples,
            });
          }
          log(
            `${label.padEnd(11)} ${v.padEnd(6)} round ${r + 1}: ${res.rps.toFixed(0).padStart(6)} req/s  p50 ${res.latencyMs.p50.toFixed(2)} ms  p99 ${res.latencyMs.p99.toFixed(2)} ms  cpu ${res.serverCpuPct.toFixed(0)}% (${cpuUsPerRequest(res).toFixed(0)} µs/req)  gen ${res.generatorCpuPct.toFixed(0)}%${res.failed ? '  FAILED ' + JSON.stringify(res.badCodes) : ''}${res.poolExhausted ? '  (pool exhausted)' : ''}`,
          );
        }
      }
      const summary = {};
      for (const [name, f] of Object.entries(METRICS)) {
        const stored = rounds.stored.map(f);
        const memory = rounds.memory.map(f);
        summary[name] = {
          stored: spread(stored),
          memory: spread(memory),
          ratio: spread(stored.map((x, i) => x / memory[i])),
        };
      }
      results.push({
        path: ACTIONS[pathName],
        connections,
        summary,
        rounds: Object.fromEntries(
          VARIANTS.map((v) => [
            v,
            rounds[v].map((r) => ({
              rps: r.rps,
              latencyMs: r.latencyMs,
              serverCpuPct: r.serverCpuPct,
              generatorCpuPct: r.generatorCpuPct,
              requests: r.requests,
              bad: r.bad,
            })),
          ]),
        ),
      });
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------
// Report.

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const range = (s, d) => `${fmt(s.median, d)} (${fmt(s.min, d)}-${fmt(s.max, d)})`;

/** Whether STORED differs from MEMORY beyond the round-to-round spread: every pair on the same side of 1. */
function verdict(ratio, lowerIsBetter) {
  if (ratio.min <= 1 && ratio.max >= 1) return 'within spread';
  const better = lowerIsBetter ? ratio.max < 1 : ratio.min > 1;
  return better ? 'STORED better in every pair' : 'STORED worse in every pair';
}

function table(report) {
  const e = report.environment;
  const lines = [
    `stored nonces vs memory only (${report.config.mode}) ${report.startedAt}  commit ${e.commit.slice(0, 12)}  node ${e.node}  ${e.cpuCount}x ${e.cpuModel}`,
    `${report.config.rounds} rounds of ${report.config.roundSeconds} s per variant, ABBA order; median (min-max) over rounds; ratio = STORED/MEMORY of same-round pairs`,
    '',
  ];
  const rows = [['', 'MEMORY', 'STORED', 'STORED/MEMORY', '']];
  const names = { rps: 'req/s', p50Ms: 'p50 ms', p99Ms: 'p99 ms', cpuUsPerRequest: 'CPU µs/req' };
  for (const s of report.scenarios) {
    rows.push([`${s.path.replace('Chatapp', '')} c=${s.connections}`, '', '', '', '']);
    for (const [name, label] of Object.entries(names)) {
      const m = s.summary[name];
      const d = name === 'rps' || name === 'cpuUsPerRequest' ? 0 : 2;
      rows.push([
        `  ${label}`,
        range(m.memory, d),
        range(m.stored, d),
        range(m.ratio, 3),
        verdict(m.ratio, name !== 'rps'),
      ]);
    }
  }
  rows.push(['stored nonce rows', `${report.storedRows.memory}`, `${report.storedRows.stored}`, '', '']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    lines.push(
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    );
  lines.push('');
  lines.push(
    report.failed
      ? `RESULT: FAILED (${report.failures.length} problems; see JSON)`
      : 'RESULT: all answers checked, no unexpected errors',
  );
  return lines.join('\n');
}

function writeReport(report, name) {
  const dir = path.join(args.out, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  const text = JSON.stringify(report, null, 2);
  writeFileSync(file, text);
  writeFileSync(path.join(dir, `${name}-latest.json`), text);
  return file;
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  selfTest();
  build();
  const startedAt = new Date().toISOString();
  const env = environment();
  log(`${cfg.mode} run; commit ${env.commit}; ${env.cpuCount}x ${env.cpuModel}`);
  const root = mkdtempSync(path.join(os.tmpdir(), 'cams-bench-nonces-'));
  const failures = [];
  let pair;
  let report;
  try {
    pair = await startPair(root);
    const results = await scenarios(pair, failures);
    const storedRows = {};
    for (const v of VARIANTS)
      storedRows[v] = (await ask(pair[v].child, { type: 'stats', counts: true }, 'stats')).nonceRows;
    // STORED kept the nonces of the Adds it answered; MEMORY kept none.
    if (cfg.paths.includes('add') && !(storedRows.stored > 0 && storedRows.memory === 0))
      failures.push({ scenario: 'variants', storedRows });
    report = {
      startedAt,
      environment: env,
      config: cfg,
      scenarios: results,
      storedRows,
      failures,
      failed: failures.length > 0,
    };
  } finally {
    for (const svc of Object.values(pair ?? {})) await stop(svc);
    rmSync(root, { recursive: true, force: true });
  }
  const file = writeReport(report, 'nonce-ab');
  console.log(table(report));
  console.log(`\nJSON: ${path.relative(ROOT, file)}`);
  process.exitCode = report.failed ? 1 : 0;
}

await main();
