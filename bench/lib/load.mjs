// One load round: autocannon against one server with requests signed beforehand, every answer checked.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { cpuSeconds, ioCounters } from './procs.mjs';

/** Exact percentiles of a sample (ms). */
export function percentiles(values, ps = [50, 90, 99, 99.9]) {
  const sorted = Float64Array.from(values).sort();
  const out = {};
  for (const p of ps) {
    if (sorted.length === 0) out[`p${p}`] = NaN;
    else out[`p${p}`] = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  }
  out.max = sorted.length ? sorted[sorted.length - 1] : NaN;
  out.mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN;
  return out;
}

class Samples {
  #buf = new Float64Array(1 << 16);
  length = 0;
  push(v) {
    if (this.length === this.#buf.length) {
      const next = new Float64Array(this.#buf.length * 2);
      next.set(this.#buf);
      this.#buf = next;
    }
    this.#buf[this.length++] = v;
  }
  values() {
    return this.#buf.subarray(0, this.length);
  }
}

/**
 * Drives `target` ({host, port, pid}) with `connections` for `seconds`, taking requests from `pool`:
 * cyclically when `cyclic` (the bare server checks nothing), otherwise each once; when a one-shot pool
 * runs out the round stops early (poolExhausted) instead of replaying a request: autocannon stops only at
 * its next one-second tick, so until then each connection sends a discard request (an unsigned GET the
 * service refuses at once) whose answer is not counted, and the rate is taken up to the exhaustion.
 * `check(json)` says whether a 200 answer's parsed body is the expected success.
 */
const DISCARD = { method: 'GET', path: '/?bench=discard', headers: {} };

export async function loadRound({ target, connections, seconds, pool, cyclic, check, stats }) {
  let next = 0;
  let exhausted = false;
  let exhaustedAt = 0;
  let okAtExhaustion = 0;
  let instance;
  const setupRequest = (_request, context) => {
    if (cyclic) return pool[next++ % pool.length];
    if (next < pool.length) {
      context.discard = false;
      return pool[next++];
    }
    if (!exhausted) {
      exhausted = true;
      exhaustedAt = performance.now();
      okAtExhaustion = ok;
      instance.stop();
    }
    context.discard = true;
    return DISCARD;
  };
  let ok = 0;
  let bad = 0;
  let discarded = 0;
  const badCodes = {};
  const badSamples = [];
  const onResponse = (status, body, context) => {
    if (context.discard) {
      discarded++;
      return;
    }
    let code = `HTTP ${status}`;
    try {
      const json = JSON.parse(body);
      code = json.Code ?? code;
      if (status === 200 && json.Code === 'OK' && check(json)) {
        ok++;
        return;
      }
      if (status === 200 && json.Code === 'OK') code = 'OK but unexpected body';
    } catch {
      code = `HTTP ${status} (not JSON)`;
    }
    bad++;
    badCodes[code] = (badCodes[code] ?? 0) + 1;
    if (badSamples.length < 5) badSamples.push({ status, body: String(body).slice(0, 400) });
  };
  const latencies = new Samples();
  if (stats) await stats(true);
  const cpu0 = cpuSeconds(target.pid);
  const io0 = ioCounters(target.pid);
  const gen0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await new Promise((resolve, reject) => {
    instance = autocannon(
      {
        url: `http://${target.host}`,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [{ setupRequest, onResponse }],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const elapsed = (performance.now() - t0) / 1000;
  const gen = process.cpuUsage(gen0);
  const cpu = cpuSeconds(target.pid) - cpu0;
  const io1 = ioCounters(target.pid);
  const after = stats ? await stats(false) : undefined;
  const completed = ok + bad;
  const errors = result.errors + result.timeouts;
  const lat = percentiles(latencies.values());
  return {
    seconds: elapsed,
    requests: completed,
    ok,
    bad,
    badCodes,
    badSamples,
    non2xx: result.non2xx - discarded,
    discarded,
    connectionErrors: result.errors,
    timeouts: result.timeouts,
    poolExhausted: exhausted,
    rps: exhausted ? okAtExhaustion / ((exhaustedAt - t0) / 1000) : ok / elapsed,
    latencyMs: lat,
    serverCpuPct: (100 * cpu) / elapsed,
    generatorCpuPct: (100 * (gen.user + gen.system)) / 1e6 / elapsed,
    writeSyscallsPerRequest:
      io1.syscw !== undefined && completed ? (io1.syscw - io0.syscw) / completed : undefined,
    storageWriteBytesPerRequest:
      io1.write_bytes !== undefined && completed
        ? (io1.write_bytes - io0.write_bytes) / completed
        : undefined,
    server: after,
    // Discard requests are refused (non-2xx) by design and not counted.
    failed: bad > 0 || errors > 0 || result.non2xx - discarded > 0 || completed === 0,
  };
}
