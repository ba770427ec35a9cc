/**
 * The package as users get it: `npm pack` (its `prepack` builds from a clean dist/), then
 * `npm install -g --prefix <tmp> <tarball>`, then the installed `cams` run from a directory that is not
 * the repository: `--version`, and `serve`, answering the official SDK with the demo credentials it
 * wrote to ./data. Packing happens in a copy of the sources, so the repository's own dist/ (which other
 * tests build and run) is never touched.
 *
 * better-sqlite3 builds its native addon from source on install on this machine (no prebuilt binaries
 * are downloaded here), about 80 s on 2 cores. By default the install runs with --ignore-scripts and the
 * addon `npm ci` already built for the repository is copied in when the versions match (same Node
 * ABI); otherwise, or with CAMS_TEST_PACK_BUILD_NATIVE=1, `npm rebuild better-sqlite3` compiles it.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, CamsModels } from '../support/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = [
  'package.json',
  'README.md',
  'LICENSE',
  'bin',
  'scripts',
  'src',
  'web',
  'docs',
  'tsconfig.json',
  'tsconfig.build.json',
];
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

/** The environment without npm's per-script variables (vitest may run under `npm test`) or CAMS_*. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(npm_|CAMS_|NODE_PATH$|NODE_OPTIONS$|INIT_CWD$)/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/**
 * Runs a command to its end without blocking the event loop (a synchronous spawn of a minute-long npm
 * install would starve vitest's worker RPC); throws on a non-zero exit.
 */
function run(
  command: string,
  args: string[],
  cwd: string,
  env = cleanEnv(),
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${stdout}\n${stderr}`));
    });
  });
}

let work: string;
let prefix: string;
let cams: string;
let packed: { filename: string; files: Array<{ path: string }> };

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'cams-pack-'));
  const copy = path.join(work, 'source');
  mkdirSync(copy);
  for (const entry of SOURCES)
    if (existsSync(path.join(ROOT, entry)))
      cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  // The build tools (tsc, esbuild) of the repository.
  symlinkSync(realpathSync(path.join(ROOT, 'node_modules')), path.join(copy, 'node_modules'), 'dir');

  const out = await run('npm', ['pack', '--json', '--pack-destination', work], copy);
  packed = (JSON.parse(out.stdout.slice(out.stdout.indexOf('['))) as Array<typeof packed>)[0]!;

  prefix = path.join(work, 'prefix');
  await run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      path.join(work, packed.filename),
    ],
    work,
  );
  const installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
  await provideSqliteAddon(path.join(installed, 'node_modules', 'better-sqlite3'));
  cams = path.join(prefix, 'bin', 'cams');
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** The native addon of the installed better-sqlite3: the repository's when it is the same version, else compiled. */
async function provideSqliteAddon(dir: string): Promise<void> {
  const version = (d: string) =>
    (JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')) as { version: string }).version;
  const ours = path.join(ROOT, 'node_modules', 'better-sqlite3');
  const addon = path.join('build', 'Release', 'better_sqlite3.node');
  if (
    process.env.CAMS_TEST_PACK_BUILD_NATIVE !== '1' &&
    existsSync(path.join(ours, addon)) &&
    version(ours) === version(dir)
  ) {
    mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
    copyFileSync(path.join(ours, addon), path.join(dir, addon));
  } else {
    await run('npm', ['rebuild', 'better-sqlite3', '--foreground-scripts'], path.resolve(dir, '../..'));
  }
}

describe('the npm package', () => {
  it('holds the launcher and the bundle, nothing of the sources, tests or benchmarks', () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/cams.js',
        'dist/bundle/cams.js',
        'dist/bundle/checkpoint-worker.js',
        'dist/public/manifest.json',
        'docs/architecture.md',
      ]),
    );
    // The browser pages' bundles (no sources) and the documentation the home page links to.
    const outside = files.filter(
      (f) =>
        !['package.json', 'README.md', 'LICENSE'].includes(f) &&
        !/^(bin|dist\/bundle|dist\/public)\//.test(f) &&
        !/^docs\/[a-z0-9-]+\.md$/i.test(f),
    );
    expect(outside).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts'))).toEqual([]);
  });

  it('installed globally, `cams --version` prints its version from any directory', async () => {
    const elsewhere = mkdtempSync(path.join(work, 'cwd-'));
    const result = await run(cams, ['--version'], elsewhere);
    expect(result.stdout.trim()).toBe(pkg.version);
    expect(result.stderr).toBe('');
  });

  it('installed globally, `cams serve` starts in an empty directory and answers the official SDK', async () => {
    const elsewhere = mkdtempSync(path.join(work, 'serve-'));
    const child = spawn(cams, ['serve', '--port', '0'], {
      cwd: elsewhere,
      env: cleanEnv({ CAMS_LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let buffered = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          const match = /"endpoint":"([^"]+)"[^\n]*"msg":"CAMS gateway listening"/.exec(buffered);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) =>
          reject(new Error(`cams serve exited (${code}):\n${buffered}\n${stderr}`)),
        );
      });
      // The first start wrote the demo credentials where the README says: ./data/demo-credentials.json.
      const demo = JSON.parse(
        readFileSync(path.join(elsewhere, 'data', 'demo-credentials.json'), 'utf8'),
      ) as {
        accessKeyId: string;
        accessKeySecret: string;
        custSpaceId: string;
      };
      const client = camsClient({ endpoint } as never, demo);
      const national = `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
      const added = await client.addChatappPhoneNumber(
        new CamsModels.AddChatappPhoneNumberRequest({
          custSpaceId: demo.custSpaceId,
          cc: '86',
          phoneNumber: national,
          verifiedName: 'Package Check',
        }),
      );
      expect(added.body?.code).toBe('OK');
      const listed = await client.queryChatappPhoneNumbers(
        new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: demo.custSpaceId }),
      );
      expect(listed.body?.phoneNumbers?.map((n) => n.phoneNumber)).toEqual([`86${national}`]);
      // A browser gets the home page, and the stylesheet it names is in the package.
      const home = await fetch(`http://${endpoint}/`, { headers: { accept: 'text/html' } });
      const style = /href="(\/assets\/style-[A-Z0-9]{8}\.css)"/.exec(await home.text())?.[1];
      expect(style).toBeDefined();
      expect((await fetch(`http://${endpoint}${style}`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(child.exitCode).toBe(0);
    expect(stderr).toBe('');
  }, 30_000);
});
