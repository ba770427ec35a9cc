// @ts-check
// The checkpointer's thread (checkpointer.ts starts it): a second connection to the same file that
// checkpoints the WAL into the database on its own thread, so the copy and its two fsyncs never stall
// the serving event loop. PASSIVE never waits for readers or the writer; a frame still in use is copied
// on a later pass. After each pass it reports the WAL's frames (`log`) and how many are in the database
// (`checkpointed`); asked to drain, it makes one pass at once and answers with the same.
//
// Plain JavaScript (type-checked through its JSDoc) because a worker thread runs a file as it is, and
// the tests run the sources without a build.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @typedef {{ file: string; intervalMs: number }} CheckpointWorkerData */
/** @typedef {{ log: number; checkpointed: number }} WalProgress */

if (parentPort === null) throw new Error('checkpoint-worker.js runs as a worker thread (checkpointer.ts)');
const port = parentPort;
const { file, intervalMs } = /** @type {CheckpointWorkerData} */ (workerData);

const db = new Database(file);
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let lastError = '';

/** @returns {WalProgress} */
function pass() {
  try {
    const { log, checkpointed } = /** @type {WalProgress} */ (checkpoint.get());
    lastError = '';
    return { log, checkpointed };
  } catch (error) {
    const message = String(error instanceof Error ? error.message : error);
    if (message !== lastError) port.postMessage({ error: message });
    lastError = message;
    return { log: -1, checkpointed: -1 };
  }
}

const timer = setInterval(() => port.postMessage(pass()), intervalMs);
port.on('message', (message) => {
  if (message === 'drain') {
    port.postMessage({ drained: true, ...pass() });
    return;
  }
  if (message !== 'close') return;
  clearInterval(timer);
  pass();
  db.close();
  port.close();
});
