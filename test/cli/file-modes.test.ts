/**
 * The data directory is owner-only and so is every file in it, whatever existed before (README
 * "Deployment"): `cams serve` and the admin verbs, as real processes under the usual umask 022.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildServer, runCams, startInstance, type Instance } from '../scale/processes.js';

let build: { dir: string; remove(): void };
let umask: number;
beforeAll(() => {
  build = buildServer();
  // The usual default, under which files are created 0644 and directories 0755 unless asked otherwise.
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
  build?.remove();
});

let parent: string;
let dataDir: string;
let instance: Instance | undefined;
beforeEach(() => {
  parent = mkdtempSync(path.join(tmpdir(), 'cams-modes-'));
  dataDir = path.join(parent, 'data');
});
afterEach(async () => {
  await instance?.stop();
  instance = undefined;
  rmSync(parent, { recursive: true, force: true });
});

const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);
/** Every entry of the data directory with its mode, and the directory's own under '.'. */
const modes = () =>
  Object.fromEntries([
    ['.', modeOf(dataDir)],
    ...readdirSync(dataDir).map((name) => [name, modeOf(path.join(dataDir, name))]),
  ]);

/** The warnings a process logged (JSON lines) about modes it narrowed: path -> the mode it found. */
const narrowed = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; path?: string; mode?: string; fixedTo?: string })
      .filter((entry) => entry.level === 40 && entry.fixedTo !== undefined)
      .map((entry) => [path.relative(dataDir, entry.path!) || '.', entry.mode]),
  );

const serveIn = () => startInstance(build.dir, { CAMS_DATA_DIR: dataDir, CAMS_DEMO: 'true' });

describe('file modes of the data directory', () => {
  it('a first start creates the directory 0700 and every file in it 0600, the WAL included', async () => {
    instance = await serveIn();
    // The demo account was written (a commit): the server holds the WAL and shared-memory files open.
    expect(modes()).toEqual({
      '.': '700',
      'cams.sqlite': '600',
      'cams.sqlite-wal': '600',
      'cams.sqlite-shm': '600',
      'master.key': '600',
      'demo-credentials.json': '600',
      'operator-token': '600',
    });
    expect(narrowed(instance.stdout())).toEqual({});
  });

  it('an admin verb narrows a 0755 directory and 0644 files, and warns naming each on stderr', async () => {
    instance = await serveIn();
    chmodSync(dataDir, 0o755);
    for (const name of [
      'cams.sqlite',
      'cams.sqlite-wal',
      'cams.sqlite-shm',
      'demo-credentials.json',
      'operator-token',
    ]) {
      chmodSync(path.join(dataDir, name), 0o644);
    }
    const r = await runCams(build.dir, ['--data-dir', dataDir, 'account', 'create', '--name', 'isv'], {});
    expect(r.code).toBe(0);
    expect(narrowed(r.stderr)).toEqual({
      '.': '0755',
      'cams.sqlite': '0644',
      'cams.sqlite-wal': '0644',
      'cams.sqlite-shm': '0644',
      'demo-credentials.json': '0644',
      'operator-token': '0644',
    });
    expect(r.stderr).toContain(`${dataDir} was readable by others (mode 0755): narrowed to 0700`);
    expect(r.stdout).not.toContain('readable by others');
    expect(modes()).toEqual({
      '.': '700',
      'cams.sqlite': '600',
      'cams.sqlite-wal': '600',
      'cams.sqlite-shm': '600',
      'master.key': '600',
      'demo-credentials.json': '600',
      'operator-token': '600',
    });
  });

  it('`cams serve` narrows what an earlier start left wider and logs the warnings', async () => {
    instance = await serveIn();
    await instance.stop();
    instance = undefined;
    // stop() removed the data directory: make it again, wide open, with a stray 0644 file and the database.
    const again = await runCams(build.dir, ['--data-dir', dataDir, 'account', 'create', '--name', 'isv'], {});
    expect(again.code).toBe(0);
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'cams.sqlite'), 0o644);
    writeFileSync(path.join(dataDir, 'notes.txt'), 'kept, but owner-only\n', { mode: 0o644 });
    instance = await serveIn();
    expect(narrowed(instance.stdout())).toEqual({ '.': '0755', 'cams.sqlite': '0644', 'notes.txt': '0644' });
    expect(modes()).toEqual({
      '.': '700',
      'cams.sqlite': '600',
      'cams.sqlite-wal': '600',
      'cams.sqlite-shm': '600',
      'master.key': '600',
      'notes.txt': '600',
      'operator-token': '600',
    });
  });

  it('a master.key others could read is still refused, not narrowed', async () => {
    const first = await runCams(build.dir, ['--data-dir', dataDir, 'account', 'create', '--name', 'isv'], {});
    expect(first.code).toBe(0);
    chmodSync(path.join(dataDir, 'master.key'), 0o644);
    const r = await runCams(build.dir, ['--data-dir', dataDir, 'account', 'list'], {});
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('must be readable by its owner only');
    expect(modeOf(path.join(dataDir, 'master.key'))).toBe('644');
  });
});
