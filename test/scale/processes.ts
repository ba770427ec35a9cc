/**
 * Real server processes for the scale-out tests (architecture.md, "Scale-out"): the sources are transpiled
 * once per test file (TypeScript's transpileModule, no type check: `npm run typecheck` does that) into a
 * private directory, and each instance is `cams serve` of that build, the same entry as bin/cams.js, in its
 * own process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Inside node_modules so the build resolves the project's packages; its own package.json makes it ESM,
 * because Node's package scope lookup stops at a node_modules directory.
 */
export function buildServer(): { dir: string; remove(): void } {
  const dir = path.join(ROOT, 'node_modules', '.cache', `cams-scale-${randomBytes(4).toString('hex')}`);
  const options: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
  const walk = (from: string): void => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const source = path.join(from, entry.name);
      if (entry.isDirectory()) walk(source);
      else if (entry.name.endsWith('.js')) {
        // Plain modules (the checkpointer's worker thread) run as they are.
        const out = path.join(dir, path.relative(path.join(ROOT, 'src'), source));
        mkdirSync(path.dirname(out), { recursive: true });
        writeFileSync(out, readFileSync(source));
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const out = path.join(dir, path.relative(path.join(ROOT, 'src'), source)).replace(/\.ts$/, '.js');
        mkdirSync(path.dirname(out), { recursive: true });
        const js = ts.transpileModule(readFileSync(source, 'utf8'), {
          compilerOptions: options,
          fileName: source,
        });
        writeFileSync(out, js.outputText);
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  // What bin/cams.js does, pointed at this build.
  writeFileSync(
    path.join(dir, 'cams.js'),
    "import { runCli } from './cli/main.js';\nprocess.exitCode = await runCli(process.argv.slice(2));\n",
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh master key; every instance of one deployment must share it (README, Deployment). */
export const newMasterKey = () => randomBytes(32).toString('base64');

export interface Instance {
  readonly endpoint: string;
  readonly port: number;
  /** Log lines the instance wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** What it wrote to stderr: nothing, unless it crashed. */
  stderr(): string;
  /** Everything it wrote to stdout, as written. */
  stdout(): string;
  /** Sends `signal` and resolves with the exit code once the process ended (its data stays for `stop`). */
  signal(signal: NodeJS.Signals): Promise<number | null>;
  stop(): Promise<void>;
}

function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    CAMS_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cams-scale-')),
    CAMS_DEMO: 'false',
    CAMS_SYNC_INTERVAL_MS: '0',
    CAMS_LOG_LEVEL: 'info',
    ...env,
  };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** `cams serve --port 0` in a new process; resolves once it listens, rejects if it exits first. */
export async function startInstance(build: string, env: Record<string, string>): Promise<Instance> {
  const fullEnv = baseEnv(env);
  const child = spawn(process.execPath, [path.join(build, 'cams.js'), 'serve', '--port', '0'], {
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  let stdout = '';
  let pending = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'CAMS gateway listening') resolve(String(entry.endpoint));
      }
    });
    void exited(child).then((code) => reject(new Error(`instance exited with ${code}: ${stderr}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited(child);
    clearTimeout(timer);
    rmSync(fullEnv.CAMS_DATA_DIR!, { recursive: true, force: true });
  };
  try {
    const endpoint = await listening;
    const signal = (sig: NodeJS.Signals) => {
      child.kill(sig);
      return exited(child);
    };
    return {
      endpoint,
      port: Number(endpoint.split(':')[1]),
      logs,
      stderr: () => stderr,
      stdout: () => stdout,
      signal,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs `cams <args>` of the build to its end; never throws for a non-zero exit. */
export async function runCams(
  build: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const fullEnv = baseEnv(env);
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(build, 'cams.js'), ...args], {
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await exited(child);
  rmSync(fullEnv.CAMS_DATA_DIR!, { recursive: true, force: true });
  return { code, stdout, stderr, ms: Date.now() - started };
}
