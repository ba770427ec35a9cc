import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { startCheckpointer, type Checkpointer, type WalProgress } from './checkpointer.js';
import { GroupCommitDialect, registerGroupCommit } from './group-commit.js';
import type { Migrations } from '../migrate.js';
import type { Database } from '../schema.js';
import { migrateSqlite } from './migrate-sqlite.js';
import { WalSync } from './wal-sync.js';

const CHECKPOINTER_DELAY_MS = 1000;
/** 64 MiB of 4 KiB pages: the WAL restarts from its beginning once it is about this long. */
const WAL_RESTART_FRAMES = 16_384;

export interface SqliteOptions {
  /** Every owner's migrations (store/migrate.ts); the store's own by default. */
  migrations?: readonly Migrations[];
  /** Share commits among concurrent requests and sync them off the event loop (serving processes). */
  groupCommit?: boolean;
  /** Told when the background checkpointer fails (it retries on its next pass). */
  onCheckpointError?: (message: string) => void;
  /** WAL length (frames) at which writes pause for it to restart (tests make it small). */
  walRestartFrames?: number;
  /** Told the duration of each fsync of the WAL (the fsync metric); group commit only. */
  onFsync?: (seconds: number) => void;
}

/**
 * The embedded default store: one SQLite file in WAL mode. synchronous=FULL keeps every acknowledged
 * write durable across power loss; busy_timeout lets CLI writes wait for the server's transaction.
 *
 * With groupCommit (the serving process), concurrent writes share one commit (group-commit.ts) and the
 * durability that FULL gives inside COMMIT is given instead by an fsync of the WAL on the thread pool
 * before anyone is answered (wal-sync.ts), while a worker thread checkpoints (checkpointer.ts): neither
 * fsyncs nor checkpoints then stall the event loop. Callers that acknowledge a write first await
 * flushWrites(db).
 *
 * The migrations run first, on a connection of their own under SQLite's write lock (migrate-sqlite.ts), so
 * processes opening a new database together create its tables once.
 */
export async function openSqlite(file: string, options: SqliteOptions = {}): Promise<Kysely<Database>> {
  await migrateSqlite(file, options.migrations);
  const sqlite = new SQLite(file);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Group commit is for the one handle a serving process has: a second handle in the same process would
  // wait synchronously (busy_timeout) for a lock that only the blocked event loop could release.
  if (!options.groupCommit) {
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  const dialect = new GroupCommitDialect(sqlite);
  const db = new Kysely<Database>({ dialect });
  registerGroupCommit(db, dialect);
  if (sqlite.pragma('journal_mode', { simple: true }) === 'wal') syncOffLoop(file, sqlite, dialect, options);
  return db;
}

function syncOffLoop(
  file: string,
  sqlite: SQLite.Database,
  dialect: GroupCommitDialect,
  options: SqliteOptions,
): void {
  // The WAL file exists from the first read on and is only removed when the last connection closes.
  // Its directory entry is made durable once, here; from now on its content is synced after each commit.
  const walFd = openSync(`${file}-wal`, 'r+');
  const dirFd = openSync(path.dirname(path.resolve(file)), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('wal_autocheckpoint = 0');
  const onFsync = options.onFsync;
  dialect.syncOffLoop(
    new WalSync(
      walFd,
      onFsync === undefined
        ? fsync
        : (fd, done) => {
            const started = performance.now();
            fsync(fd, (error) => {
              onFsync((performance.now() - started) / 1000);
              done(error);
            });
          },
    ),
  );
  // Started a moment later, so its thread does not compete with the service's own start-up (cold start
  // is measured, docs/PERFORMANCE.md); the WAL only grows a little meanwhile.
  let checkpointer: Checkpointer | undefined;
  const start = setTimeout(() => {
    checkpointer = startCheckpointer(file, { onError: options.onCheckpointError });
  }, CHECKPOINTER_DELAY_MS);
  start.unref();
  // A WAL only restarts from its beginning when a write transaction begins with every frame already in
  // the database. Under steady writes the checkpointer never catches up with the commits (each adds
  // frames during its pass), and the WAL, and the work of every read looking pages up in it, grow
  // without end. So once it is long, the commit holds the connection (the event loop runs on) until the
  // checkpointer has copied the rest; the next write then starts the WAL over. Rare (every 64 MiB) and
  // short: a catch-up pass runs first while commits go on, so the held pass only copies what was
  // committed during the catch-up (not a whole pass interval), then two fsyncs, on the worker's thread.
  const restartFrames = options.walRestartFrames ?? WAL_RESTART_FRAMES;
  let drained: WalProgress | undefined;
  let catchUp: 'none' | 'running' | 'done' = 'none';
  dialect.afterCommit(() => {
    const progress = checkpointer?.progress;
    if (progress === undefined || progress.log < restartFrames || progress === drained) return undefined;
    if (catchUp === 'none') {
      catchUp = 'running';
      void checkpointer!.drain().then(() => (catchUp = 'done'));
    }
    if (catchUp === 'running') return undefined;
    catchUp = 'none';
    return checkpointer!.drain().then((after) => (drained = after));
  });
  dialect.onDestroy(async () => {
    clearTimeout(start);
    await checkpointer?.close();
    closeSync(walFd);
  });
}
