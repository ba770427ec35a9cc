#!/usr/bin/env node
// `npm run bench -- --flood`: what one source's pipelining flood costs another client. A victim sends
// signed QueryChatappPhoneNumbers calls, 8 per second on one keep-alive connection, first alone, then
// while a flooder pipelines thousands of signed requests of one key on one connection from 127.0.0.2
// (another source to the server). Two configurations of the service in alternating rounds: `fair`, as
// shipped (docs/architecture.md, "Limits on the port"), and `unfair`, its per-source and overall caps
// off (what the port did before it had them). See docs/PERFORMANCE.md, "Flood".
//
//   npm run bench -- --flood [--quick] [--requests 24000] [--rounds 2] [--baseline 4] [--skip-build]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ROOT, startService, stop } from './lib/procs.mjs';
import { Requests } from './lib/requests.mjs';
import { selfTest } from './lib/sign.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    requests: { type: 'string' },
    rounds: { type: 'string' },
    baseline: { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(ROOT, '.bench') },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`usage: npm run bench -- --flood [options]
  --quick             one round per configuration, a 2 s baseline
  --requests <n>      requests the flooder pipelines (default 24000)
  --rounds <n>        rounds per configuration, alternating (default 2, quick 1)
  --baseline <s>      seconds of the victim alone before each flood (default 4, quick 2)
  --skip-build        use dist/ as it is
  --out <dir>         results directory (default .bench; JSON in <dir>/results)`);
  process.exit(0);
}

const cfg = {
  mode: args.quick ? 'quick' : 'full',
  floodRequests: Number(args.requests ?? 24_000),
  rounds: Number(args.rounds ?? (args.quick ? 1 : 2)),
  baselineSeconds: Number(args.baseline ?? (args.quick ? 2 : 4)),
  victimIntervalMs: 125, // 8 calls a second: under the victim's own flow control (10 per second)
  floodSource: '127.0.0.2',
};
const CONFIGS = {
  fair: {},
  unfair: {
    CAMS_MAX_IN_FLIGHT: '0',
    CAMS_MAX_IN_FLIGHT_PER_SOURCE: '0',
    CAMS_MAX_QUEUED_PER_SOURCE: '1000000',
  },
};
const log = (...a) => console.error('[flood]', ...a);
const requests = new Requests();

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    calls: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? NaN,
  };
}

/** One signed request of the pool, sent on the victim's keep-alive connection; its latency in ms. */
function send(agent, port, req) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const r = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, agent },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          const ms = performance.now() - t0;
          const code = JSON.parse(body).Code;
          if (res.statusCode !== 200 || code !== 'OK')
            reject(new Error(`victim answered ${res.statusCode} ${code}`));
          else resolve(ms);
        });
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** The victim's calls, one every victimIntervalMs, until `until()` is true; their latencies. */
async function victim(svc, account, until) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const pool = requests.presign('query', svc.host, [account], 2000);
  const latencies = [];
  try {
    for (let i = 0; !until(); i++) {
      const t0 = performance.now();
      latencies.push(await send(agent, svc.port, pool[i]));
      const rest = cfg.victimIntervalMs - (performance.now() - t0);
      if (rest > 0) await sleep(rest);
    }
  } finally {
    agent.destroy();
  }
  return latencies;
}

const raw = (req) =>
  `${req.method} ${req.path} HTTP/1.1\r\n${Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${req.body}`;

/** The flood: `count` signed requests of one key, pipelined at once on one connection from floodSource. */
function flood(svc, account, count) {
  const text = requests.presign('query', svc.host, [account], count).map(raw).join('');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: svc.port, localAddress: cfg.floodSource });
    let answers = 0;
    let tail = '';
    const codes = {};
    let t0;
    const state = { done: false };
    const finish = () => {
      if (state.done) return;
      state.done = true;
      socket.destroy();
      resolve({ answers, seconds: (performance.now() - t0) / 1000, codes });
    };
    socket.once('connect', () => {
      t0 = performance.now();
      socket.write(text);
    });
    socket.on('data', (d) => {
      const chunk = tail + d.toString('latin1');
      for (const m of chunk.matchAll(/"Code":"([^"]+)"/g)) codes[m[1]] = (codes[m[1]] ?? 0) + 1;
      answers += chunk.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0;
      tail = chunk.slice(-12);
      if (answers >= count) finish();
    });
    socket.on('close', finish);
    socket.on('error', (e) => (t0 === undefined ? reject(e) : finish()));
  });
}

async function round(name, dataDir, accounts) {
  const svc = await startService({
    dataDir,
    reuse: true,
    logLevel: 'warn',
    background: true,
    env: CONFIGS[name],
  });
  try {
    const [victimAccount, floodAccount] = accounts;
    let warm = 0;
    await victim(svc, victimAccount, () => warm++ >= 1); // one call: the connection, the JIT
    const end = performance.now() + cfg.baselineSeconds * 1000;
    const alone = await victim(svc, victimAccount, () => performance.now() > end);
    const floodRun = flood(svc, floodAccount, cfg.floodRequests);
    let floodDone = false;
    floodRun.then(() => (floodDone = true));
    const during = await victim(svc, victimAccount, () => floodDone);
    const f = await floodRun;
    const result = {
      config: name,
      alone: summary(alone),
      duringFlood: summary(during),
      flood: {
        requests: cfg.floodRequests,
        answers: f.answers,
        seconds: f.seconds,
        rps: f.answers / f.seconds,
        codes: f.codes,
      },
    };
    result.ratio = {
      p50: result.duringFlood.p50Ms / result.alone.p50Ms,
      p99: result.duringFlood.p99Ms / result.alone.p99Ms,
      max: result.duringFlood.maxMs / result.alone.maxMs,
    };
    log(
      `${name}: victim alone p50 ${result.alone.p50Ms.toFixed(2)} ms, max ${result.alone.maxMs.toFixed(1)} ms; during the flood (${f.seconds.toFixed(1)} s, ${f.answers} answers) p50 ${result.duringFlood.p50Ms.toFixed(1)} ms, max ${result.duringFlood.maxMs.toFixed(1)} ms over ${result.duringFlood.calls} calls`,
    );
    return result;
  } finally {
    await stop(svc);
  }
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
};

async function main() {
  selfTest();
  if (!args['skip-build']) {
    log('npm run build');
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  const startedAt = new Date().toISOString();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cams-bench-flood-'));
  try {
    const seeded = await startService({
      dataDir,
      accounts: 2,
      queryNumbers: 2,
      logLevel: 'warn',
      background: false,
    });
    const accounts = seeded.accounts;
    await stop(seeded);
    const rounds = [];
    // Alternating (fair, unfair, unfair, fair, ...) so that a drift of the machine hits both alike.
    for (let i = 0; i < cfg.rounds; i++) {
      const order = i % 2 === 0 ? ['fair', 'unfair'] : ['unfair', 'fair'];
      for (const name of order) rounds.push(await round(name, dataDir, accounts));
    }
    const byConfig = Object.fromEntries(
      Object.keys(CONFIGS).map((name) => {
        const rs = rounds.filter((r) => r.config === name);
        return [
          name,
          {
            aloneP50Ms: median(rs.map((r) => r.alone.p50Ms)),
            duringP50Ms: median(rs.map((r) => r.duringFlood.p50Ms)),
            duringP99Ms: median(rs.map((r) => r.duringFlood.p99Ms)),
            duringMaxMs: Math.max(...rs.map((r) => r.duringFlood.maxMs)),
            ratioP50: median(rs.map((r) => r.ratio.p50)),
            ratioP99: median(rs.map((r) => r.ratio.p99)),
            ratioMax: median(rs.map((r) => r.ratio.max)),
            floodSeconds: median(rs.map((r) => r.flood.seconds)),
          },
        ];
      }),
    );
    const report = { startedAt, config: cfg, configs: CONFIGS, rounds, summary: byConfig };
    const dir = path.join(args.out, 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `flood-${startedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2));
    console.log(
      `\nflood (${cfg.mode}): ${cfg.floodRequests} pipelined requests of one key from ${cfg.floodSource}; victim 8 calls/s`,
    );
    console.log('config   alone p50   flood p50   flood p99   flood max   p50 ×   p99 ×   max ×   flood s');
    for (const [name, s] of Object.entries(byConfig)) {
      console.log(
        [
          name.padEnd(7),
          `${s.aloneP50Ms.toFixed(2)} ms`.padStart(10),
          `${s.duringP50Ms.toFixed(1)} ms`.padStart(10),
          `${s.duringP99Ms.toFixed(1)} ms`.padStart(10),
          `${s.duringMaxMs.toFixed(1)} ms`.padStart(10),
          s.ratioP50.toFixed(1).padStart(6),
          s.ratioP99.toFixed(1).padStart(6),
          s.ratioMax.toFixed(1).padStart(6),
          s.floodSeconds.toFixed(1).padStart(8),
        ].join('  '),
      );
    }
    console.log('× = the victim during the flood over the victim alone, same round (median over rounds)');
    console.log(`JSON: ${path.relative(ROOT, file)}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
