// The reconciler's CPU per display-name decision it applies: the service seeded as for the benchmark
// (2000 accounts, 2 numbers each in their Query space: 4000 numbers in review), then left alone until
// the reconciler has applied every decision (Meta decides 5 s after an Add; the reconciler passes every
// 30 s). The service's CPU from the last sample before the decisions are applied to the end, over the
// number of decisions. Not part of `npm run bench`; run after `npm run build` (docs/PERFORMANCE.md).
//   node bench/reconcile.mjs [accounts]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ask, cpuSeconds, startService, stop } from './lib/procs.mjs';

const accounts = Number(process.argv[2] ?? 2000);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cams-bench-reconcile-'));
const svc = await startService({ dataDir, accounts, queryNumbers: 2, logLevel: 'warn', background: true });
try {
  const t0 = performance.now();
  const cpu0 = cpuSeconds(svc.pid);
  const samples = []; // [seconds, numbers in review, CPU seconds]
  for (;;) {
    const { inTransition } = await ask(svc.child, { type: 'stats', counts: true }, 'stats');
    samples.push([(performance.now() - t0) / 1000, inTransition, cpuSeconds(svc.pid) - cpu0]);
    if (inTransition === 0 || performance.now() - t0 > 180_000) break;
    await sleep(1000);
  }
  const decisions = samples[0][1];
  const before = samples.filter((s) => s[1] === decisions).at(-1);
  const last = samples.at(-1);
  if (last[1] !== 0) throw new Error(`${last[1]} of ${decisions} decisions not applied after 180 s`);
  const cpu = last[2] - before[2];
  console.log(
    `${decisions} decisions applied between ${before[0].toFixed(0)} s and ${last[0].toFixed(0)} s: ` +
      `service CPU ${cpu.toFixed(2)} s, ${((cpu * 1e6) / decisions).toFixed(0)} µs per decision ` +
      `(the stats' count scans, once a second, included)`,
  );
} finally {
  await stop(svc);
  rmSync(dataDir, { recursive: true, force: true });
}
