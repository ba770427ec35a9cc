import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../scale/processes.js';

/**
 * Several `cams` processes started together on a data directory that has no database yet: each opens the
 * store and migrates it. The migrations run under SQLite's write lock (store/sqlite/migrate-sqlite.ts), so
 * one process creates the tables and the others, waiting their turn, find nothing left to do.
 */
const PROCESSES = 6;
const ROOT = path.resolve(import.meta.dirname, '../..');
let build: ReturnType<typeof buildServer>;
let dataDir: string;
beforeAll(() => {
  build = buildServer();
}, 60_000);
afterAll(() => build?.remove());
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'cams-concurrent-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function cams(
  args: string[],
  dir = dataDir,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(build.dir, 'cams.js'), ...args], {
    env: { PATH: process.env.PATH, CAMS_DATA_DIR: dir, CAMS_DEMO: 'false', CAMS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

function accountNames(dir = dataDir): string[] {
  const db = new SQLite(path.join(dir, 'cams.sqlite'), { readonly: true });
  try {
    return (db.prepare('select name from accounts').all() as Array<{ name: string }>)
      .map((a) => a.name)
      .sort();
  } finally {
    db.close();
  }
}

describe('cams processes on one data directory', () => {
  it('started together on a new one all succeed: the store is migrated once, every write lands', async () => {
    const fresh = path.join(dataDir, 'new');
    const names = Array.from({ length: PROCESSES }, (_, i) => `together-${i}`);
    const runs = await Promise.all(
      names.map((name) => cams(['account', 'create', '--name', name, '--json'], fresh)),
    );
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const created = runs.map((r) => (JSON.parse(r.stdout) as { name: string }).name);
    expect(created.sort()).toEqual(names);

    expect(accountNames(fresh)).toEqual(names);
    const db = new SQLite(path.join(fresh, 'cams.sqlite'), { readonly: true });
    try {
      const applied = db.prepare('select name from kysely_migration').all() as Array<{ name: string }>;
      expect(new Set(applied.map((m) => m.name)).size).toBe(applied.length);
    } finally {
      db.close();
    }
  }, 60_000);

  it('wait for one that is migrating, and migrate themselves when it dies half-way', async () => {
    // A stand-in for a cams process killed in the middle of its migrations: it holds the write lock
    // with a table created and nothing committed.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        // Its files are made owner-only, as a cams process makes them (else the CLI rightly warns).
        `process.umask(0o077);
         const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('journal_mode = WAL');
         db.exec('BEGIN IMMEDIATE');
         db.exec('create table accounts (half integer)');
         console.log('locked');
         setInterval(() => {}, 1000);`,
        path.join(dataDir, 'cams.sqlite'),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      let finished = false;
      const run = cams(['account', 'create', '--name', 'after', '--json']).finally(() => (finished = true));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(finished).toBe(false);
      holder.kill('SIGKILL');
      const result = await run;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(accountNames()).toEqual(['after']);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 60_000);
});
