import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.js';

let dir: string;
let file: string;
let db: SQLite.Database;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cams-ckpt-'));
  file = path.join(dir, 'db.sqlite');
  db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table t (v text)');
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the checkpointer thread', () => {
  it('copies the whole WAL into the database when asked to drain, and reports it', async () => {
    const insert = db.prepare('insert into t values (?)');
    for (let i = 0; i < 500; i++) insert.run('x'.repeat(400));
    const checkpointer = startCheckpointer(file, { intervalMs: 60_000 });
    try {
      const progress = await checkpointer.drain();
      expect(progress.log).toBeGreaterThan(10);
      expect(progress.checkpointed).toBe(progress.log);
      expect(checkpointer.progress).toEqual(progress);
    } finally {
      await checkpointer.close();
    }
  });

  it('never leaves a drain waiting once the thread is gone', async () => {
    const checkpointer = startCheckpointer(file, { intervalMs: 60_000 });
    await checkpointer.close();
    await expect(checkpointer.drain()).resolves.toBeDefined();
  });
});
