// A durable-write reference: the bare server, except that each request's body is made durable before
// its answer. What a write path that acknowledges only durable writes costs at the least on this
// machine, measured beside the service and the bare server (docs/PERFORMANCE.md, "Durable-write
// references"). Mode from argv[3]:
//   log     the bodies of one event-loop turn's requests are written at once to a preallocated file
//           (a 256 MiB ring) and made durable with one fdatasync on the thread pool. No format, no
//           index: the disk's own cost of a durable answer.
//   sqlite  each body is one row (integer key, no other index) of a SQLite database in WAL mode with
//           synchronous=NORMAL; one transaction per loop turn, then an fsync of the WAL on the thread
//           pool: the service's commit scheme (src/store/sqlite/group-commit.ts, wal-sync.ts) with one
//           statement where an Add runs eight. The WAL is checkpointed and restarted past 64 MiB.
// In both, a turn's fsync starts as soon as the turn is written, overlapping those still running,
// and answers go out in turn order, each once its own fsync and all earlier ones are done.
// Port from argv[2] (0 = any); prints {"port":N} when listening; stats over IPC as bare-server.mjs.
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fsync,
  mkdtempSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate } from 'node:timers';
import { promisify } from 'node:util';
import { answer, listen } from './lib/reference.mjs';

const mode = process.argv[3] ?? 'sqlite';
const dir = mkdtempSync(path.join(tmpdir(), `cams-bench-durable-${mode}-`));
const MiB = 2 ** 20;

/** Returns write(bodies) that writes one turn's bodies (not yet durable) and the fd to sync after. */
function logStore() {
  const RING = 256 * MiB;
  const fd = openSync(path.join(dir, 'log'), 'w+');
  // Allocated for real (not a sparse file), so a sync writes data only, as on an overwritten WAL.
  const zeros = Buffer.alloc(MiB);
  for (let at = 0; at < RING; at += MiB) writeSync(fd, zeros, 0, MiB, at);
  fdatasyncSync(fd); // before listening: no round pays for the zeros' writeback
  let at = 0;
  return {
    fd,
    sync: promisify(fdatasync),
    write(bodies) {
      const buf = Buffer.concat(bodies);
      if (at + buf.length > RING) at = 0;
      writeSync(fd, buf, 0, buf.length, at);
      at += buf.length;
    },
    close: () => closeSync(fd),
  };
}

function sqliteStore() {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const file = path.join(dir, 'db.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE records (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO records (body) VALUES (?)');
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
  const fd = openSync(`${file}-wal`, 'r+');
  let frames = 0;
  return {
    fd,
    sync: promisify(fsync),
    write(bodies) {
      begin.run();
      for (const body of bodies) insert.run(body);
      commit.run();
      frames += 1 + bodies.reduce((n, b) => n + b.length, 0) / 4096;
      if (frames * 4096 > 64 * MiB) {
        restart.run();
        frames = 0;
      }
    },
    close: () => db.close(),
  };
}

const store = mode === 'log' ? logStore() : sqliteStore();
let turn = []; // [{ res, body }]
let answered = Promise.resolve();

function endOfTurn() {
  const batch = turn;
  turn = [];
  store.write(batch.map((r) => r.body));
  const durable = store.sync(store.fd);
  // In turn order: an fsync that succeeds says nothing of an earlier one still running.
  answered = Promise.all([answered, durable]).then(
    () => batch.forEach((r) => answer(r.res)),
    (error) => {
      console.error(`durable-server: ${error.message}`);
      process.exit(1);
    },
  );
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (turn.length === 0) setImmediate(endOfTurn);
    turn.push({ res, body: Buffer.concat(chunks) });
  });
});
listen(server, () => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
