#!/usr/bin/env node
// `npm run bench -- --metrics-ab`: what the Prometheus metrics cost on the hot path. Two service
// processes on identical copies of one seeded store, one built with metrics (ON, as `cams serve` runs)
// and one without (OFF, as with CAMS_METRICS=false), driven in interleaved rounds by the same load
// generator, every answer checked. See docs/PERFORMANCE.md, "Metrics".
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
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
    paths: { type: 'string', default: 'query,add' },
    accounts: { type: 'string', default: '2000' },
    'query-numbers': { type: 'string', default: '2' },
    'log-level': { type: 'string', default: 'warn' },
    'no-background': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    profile: { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, '.bench') },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`usage: npm run bench -- --metrics-ab [options]   (or node bench/metrics-ab.mjs [options])
Metrics ON against OFF: two service processes on copies of one seeded store, same load generator,
rounds in ABBA order (ON OFF OFF ON ...), every answer checked, and ON's request counter checked
against the answers of each round. Reports req/s, p50, p99 and CPU per request with ON/OFF ratios
(median and range over the same-round pairs). Full ~6 min, --quick ~3 min.
  --quick               2 s warm-up, 3 rounds of 3 s per variant and scenario
  --rounds <n>          measured rounds per variant and scenario (default 6, quick 3)
  --duration <s>        seconds per round (default 5, quick 3)
  --connections <list>  default 10,100
  --paths <list>        default query,add
  --accounts <n>        benchmark accounts (default 2000)
  --query-numbers <n>   numbers in each account's Query space (default 2)
  --log-level <level>   the services' log level (default warn; logs go to /dev/null)
  --no-background       without the webhook dispatcher and reconciler
  --skip-build          use dist/ as it is
  --profile <s>         instead: CPU-profile ON and OFF at 10 connections, <s> seconds per path, and
                        report the share of ON's busy time spent in metrics code
  --out <dir>           results directory (default .bench; JSON in <dir>/results/metrics-ab-*.json)`);
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

const log = (...a) => console.error('[bench metrics]', ...a);
const requests = new Requests();
// CAMS_OPERATOR_TOKEN of both services (GET /metrics); never printed.
const operatorToken = randomBytes(24).toString('base64url');
const VARIANTS = ['on', 'off'];

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

/** Seeds one store (its Meta reviews applied), copies it twice, and starts ON and OFF on the copies. */
async function startPair(root) {
  // Both variants run on copies of the seed: neither gets the seeding process's own files.
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
      metrics: v === 'on',
      operatorToken,
    });
  }
  // Each variant is what it claims: ON serves /metrics, OFF says metrics are turned off.
  const on = await scrape(pair.on);
  const off = await scrape(pair.off);
  if (on.status !== 200 || !on.text.includes('cams_requests_total'))
    throw new Error(`metrics ON: GET /metrics answered ${on.status}`);
  if (off.status !== 404 || !off.text.includes('CAMS_METRICS=false'))
    throw new Error(`metrics OFF: GET /metrics answered ${off.status} ${off.text.slice(0, 200)}`);
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

/** GET /metrics as Prometheus would (the operator token as Bearer). */
function scrape(svc) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: svc.port,
        path: '/metrics',
        headers: { authorization: `Bearer ${operatorToken}` },
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, text, ms: performance.now() - t0 }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** cams_requests_total of `action` answered Code OK, from a scrape's text. */
function okCount(text, action) {
  let n = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('cams_requests_total{')) continue;
    if (line.includes(`action="${action}"`) && line.includes('code="OK"'))
      n += Number(line.split(' ').at(-1));
  }
  return n;
}

/**
 * A scrape once the answers still in flight when a round stopped are counted: the OK count of `action`
 * unchanged over 100 ms (10 s at most).
 */
async function settledScrape(svc, action) {
  let last = await scrape(svc);
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    const next = await scrape(svc);
    if (okCount(next.text, action) === okCount(last.text, action))
      return { ...next, count: okCount(next.text, action) };
    last = next;
  }
  throw new Error(`metrics ON: ${action} still counting 10 s after the round`);
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
      const rounds = { on: [], off: [] };
      const scrapes = [];
      for (let r = 0; r < cfg.rounds; r++) {
        for (const v of r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
          await sleep(300);
          const before = v === 'on' ? await settledScrape(pair.on, ACTIONS[pathName]) : undefined;
          const res = await round(pair[v], pathName, connections, cfg.roundSeconds, estimate);
          estimate = Math.max(estimate, res.rps);
          rounds[v].push(res);
          let counted = '';
          if (before) {
            // ON counted every answer of the round: OK answers the generator saw, plus at most one in
            // flight per connection when the round stopped.
            const after = await settledScrape(pair.on, ACTIONS[pathName]);
            const delta = after.count - before.count;
            scrapes.push({ ms: after.ms, bytes: Buffer.byteLength(after.text), counted: delta, ok: res.ok });
            counted = `  counted ${delta}`;
            if (delta < res.ok || delta > res.ok + connections) {
              failures.push({ scenario: `${label} on round ${r + 1}`, metricsCounted: delta, ok: res.ok });
              counted += ' MISMATCH';
            }
          }
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
            `${label.padEnd(11)} ${v.padEnd(3)} round ${r + 1}: ${res.rps.toFixed(0).padStart(6)} req/s  p50 ${res.latencyMs.p50.toFixed(2)} ms  p99 ${res.latencyMs.p99.toFixed(2)} ms  cpu ${res.serverCpuPct.toFixed(0)}% (${cpuUsPerRequest(res).toFixed(0)} µs/req)  gen ${res.generatorCpuPct.toFixed(0)}%${counted}${res.failed ? '  FAILED ' + JSON.stringify(res.badCodes) : ''}${res.poolExhausted ? '  (pool exhausted)' : ''}`,
          );
        }
      }
      const summary = {};
      for (const [name, f] of Object.entries(METRICS)) {
        const on = rounds.on.map(f);
        const off = rounds.off.map(f);
        summary[name] = {
          on: spread(on),
          off: spread(off),
          ratio: spread(on.map((x, i) => x / off[i])),
        };
      }
      results.push({
        path: ACTIONS[pathName],
        connections,
        summary,
        scrape: { ms: spread(scrapes.map((s) => s.ms)), bytes: scrapes.at(-1)?.bytes },
        rounds: Object.fromEntries(
          VARIANTS.map((v) => [
            v,
            rounds[v].map((r) => ({
              rps: r.rps,
              latencyMs: r.latencyMs,
              serverCpuPct: r.serverCpuPct,
              generatorCpuPct: r.generatorCpuPct,
              eventLoopUtilization: r.server?.eventLoopUtilization,
              gcMs: r.server?.gc?.ms,
              requests: r.requests,
              bad: r.bad,
            })),
          ]),
        ),
        scrapes,
      });
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------
// Report.

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const range = (s, d) => `${fmt(s.median, d)} (${fmt(s.min, d)}-${fmt(s.max, d)})`;

/** Whether ON differs from OFF beyond the round-to-round spread: every pair on the same side of 1. */
function verdict(ratio, lowerIsBetter) {
  if (ratio.min <= 1 && ratio.max >= 1) return 'within spread';
  const onBetter = lowerIsBetter ? ratio.max < 1 : ratio.min > 1;
  return onBetter ? 'ON better in every pair' : 'ON worse in every pair';
}

function table(report) {
  const e = report.environment;
  const lines = [
    `metrics ON vs OFF (${report.config.mode}) ${report.startedAt}  commit ${e.commit.slice(0, 12)}  node ${e.node}  ${e.cpuCount}x ${e.cpuModel}`,
    `${report.config.rounds} rounds of ${report.config.roundSeconds} s per variant, ABBA order; median (min-max) over rounds; ratio = ON/OFF of same-round pairs`,
    '',
  ];
  const rows = [['', 'OFF', 'ON', 'ON/OFF', '']];
  const names = { rps: 'req/s', p50Ms: 'p50 ms', p99Ms: 'p99 ms', cpuUsPerRequest: 'CPU µs/req' };
  for (const s of report.scenarios) {
    const head = `${s.path.replace('Chatapp', '')} c=${s.connections}`;
    rows.push([head, '', '', '', '']);
    for (const [name, label] of Object.entries(names)) {
      const m = s.summary[name];
      const d = name === 'rps' || name === 'cpuUsPerRequest' ? 0 : 2;
      rows.push([
        `  ${label}`,
        range(m.off, d),
        range(m.on, d),
        range(m.ratio, 3),
        verdict(m.ratio, name !== 'rps'),
      ]);
    }
    rows.push([
      `  scrape`,
      '',
      `${fmt(s.scrape.ms.median, 1)} ms, ${fmt(s.scrape.bytes / 1024, 1)} KiB`,
      '',
      '',
    ]);
  }
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
      ? `RESULT: FAILED (${report.failures.length} rounds with unexpected answers, errors or uncounted requests; see JSON)`
      : 'RESULT: all answers checked, ON counted every answer, no unexpected errors',
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
// Profile mode: where ON's extra time goes.

// prom-client and the service's metrics module count with what they call; the upstream wrapper only
// with its own frames (what it calls is the upstream call itself).
const METRICS_CODE = /node_modules\/prom-client\/|\/dist\/server\/metrics\.js/;
const METRICS_WRAPPER = /\/dist\/upstream\/instrumented\.js/;

/** Share of the profile's busy samples in metrics code (see METRICS_CODE, METRICS_WRAPPER). */
function metricsShare(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const under = new Map();
  const isUnder = (id) => {
    if (under.has(id)) return under.get(id);
    const p = parent.get(id);
    const v = METRICS_CODE.test(byId.get(id).callFrame.url) || (p !== undefined && isUnder(p));
    under.set(id, v);
    return v;
  };
  let busy = 0;
  let metrics = 0;
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  for (const [id, n] of hits) {
    if (byId.get(id).callFrame.functionName === '(idle)') continue;
    busy += n;
    if (isUnder(id) || METRICS_WRAPPER.test(byId.get(id).callFrame.url)) metrics += n;
  }
  return { busySamples: busy, metricsSamples: metrics, metricsPctOfBusy: (100 * metrics) / busy };
}

async function profileMode(pair, seconds) {
  const dir = path.join(args.out, 'profiles', `metrics-ab-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const out = {};
  for (const pathName of cfg.paths) {
    await settle(pair);
    for (const v of VARIANTS) {
      const warm = await round(pair[v], pathName, 10, 3, 4000);
      await ask(pair[v].child, { type: 'profile-start' }, 'profile-started');
      const res = await round(pair[v], pathName, 10, seconds, warm.rps);
      const file = path.join(dir, `${pathName}-${v}.cpuprofile`);
      await ask(pair[v].child, { type: 'profile-stop', file }, 'profile-stopped');
      const share = metricsShare(JSON.parse(readFileSync(file, 'utf8')));
      out[`${pathName}-${v}`] = {
        rps: res.rps,
        cpuUsPerRequest: cpuUsPerRequest(res),
        failed: res.failed,
        ...share,
        profile: file,
      };
      console.log(
        `${pathName} ${v}: ${res.rps.toFixed(0)} req/s, ${cpuUsPerRequest(res).toFixed(0)} µs CPU/req; metrics code ${share.metricsPctOfBusy.toFixed(2)}% of busy samples (${share.metricsSamples} of ${share.busySamples})${res.failed ? '  FAILED' : ''}`,
      );
    }
  }
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(out, null, 2));
  console.log(`profiles (open in Chrome DevTools) and summary: ${dir}`);
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  selfTest();
  build();
  const startedAt = new Date().toISOString();
  const env = environment();
  log(`${cfg.mode} run; commit ${env.commit}; ${env.cpuCount}x ${env.cpuModel}`);
  const root = mkdtempSync(path.join(os.tmpdir(), 'cams-bench-metrics-'));
  const failures = [];
  let pair;
  let report;
  try {
    pair = await startPair(root);
    if (args.profile !== undefined) return await profileMode(pair, Number(args.profile) || 20);
    const results = await scenarios(pair, failures);
    report = {
      startedAt,
      environment: env,
      config: cfg,
      scenarios: results,
      failures,
      failed: failures.length > 0,
    };
  } finally {
    for (const svc of Object.values(pair ?? {})) await stop(svc);
    rmSync(root, { recursive: true, force: true });
  }
  const file = writeReport(report, 'metrics-ab');
  console.log(table(report));
  console.log(`\nJSON: ${path.relative(ROOT, file)}`);
  process.exitCode = report.failed ? 1 : 0;
}

await main();
