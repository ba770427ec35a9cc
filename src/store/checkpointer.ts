import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// The worker's own code: a second connection to the same file that checkpoints the WAL into the
// database on its own thread, so the copy and its two fsyncs never stall the serving event loop.
// PASSIVE never waits for readers or the writer; a frame still in use is copied on a later pass.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let lastError = '';
const pass = () => {
  try {
    checkpoint.all();
    lastError = '';
  } catch (error) {
    const message = String(error && error.message);
    if (message !== lastError) parentPort.postMessage({ error: message });
    lastError = message;
  }
};
const timer = setInterval(pass, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  pass();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** One last checkpoint, then the worker's connection is closed. */
  close(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the request path (issue 6, item 5): the serving connection runs with
 * wal_autocheckpoint=0 and this worker thread checkpoints every `intervalMs`.
 */
export function startCheckpointer(
  file: string,
  options: { intervalMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs: options.intervalMs ?? 200 },
  });
  worker.on('message', (message: { error?: string }) => {
    if (message.error !== undefined) options.onError?.(message.error);
  });
  worker.on('error', (error) => options.onError?.(error.message));
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    close: async () => {
      worker.postMessage('close');
      await exited;
    },
  };
}
