// Child processes of the benchmark and what /proc says about them.
import { execFileSync, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU seconds of a process so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** /proc/<pid>/io: read/write syscalls and bytes that reached the storage layer. */
export function ioCounters(pid) {
  try {
    const out = {};
    for (const line of readFileSync(`/proc/${pid}/io`, 'utf8').split('\n')) {
      const [k, v] = line.split(':');
      if (k && v) out[k.trim()] = Number(v.trim());
    }
    return out;
  } catch {
    return {};
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Waits for the next IPC message of `type` from `child` (rejects on an error message or exit). */
export function nextMessage(child, type, timeoutMs = 600_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${type}`)), timeoutMs);
    const onMessage = (msg) => {
      if (msg.type === type) done(undefined, msg);
      else if (msg.type === 'error') done(new Error(msg.message));
    };
    const onExit = (code, signal) => done(new Error(`process exited (${code ?? signal}) before ${type}`));
    function done(error, msg) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(msg);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function ask(child, msg, replyType) {
  const reply = nextMessage(child, replyType);
  child.send(msg);
  return reply;
}

/** The service (bench/serve-entry.mjs) in its own process; resolves once it listens. */
export async function startService(options, nodeArgs = []) {
  const child = fork(new URL('../serve-entry.mjs', import.meta.url), [], {
    cwd: ROOT,
    execArgv: nodeArgs,
    env: { ...process.env, BENCH_SERVE: JSON.stringify(options) },
    // stdout is where the service writes its JSON log lines (pino); they go to /dev/null.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await nextMessage(child, 'ready');
  return { child, pid: child.pid, ...ready, host: `127.0.0.1:${ready.port}` };
}

/** The bare node:http server in its own process. */
export const startBare = (port = 0) => startReference('bare-server.mjs', [String(port)]);

/** A durable-write reference server (bench/durable-server.mjs) in `mode` (log, sqlite). */
export const startDurable = (mode) => startReference('durable-server.mjs', ['0', mode]);

/** A reference server script of bench/ in its own process; resolves once it prints its port. */
async function startReference(script, args) {
  const child = spawn(process.execPath, [new URL(`../${script}`, import.meta.url).pathname, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const line = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  const { port: actual } = JSON.parse(line);
  return { child, pid: child.pid, port: actual, host: `127.0.0.1:${actual}` };
}

export async function stop(proc) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  if (proc.child.connected) proc.child.send({ type: 'shutdown' });
  else proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
