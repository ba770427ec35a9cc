import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// The worker's own code: a second connection to the same file that checkpoints the WAL into the
// database on its own thread, so the copy and its two fsyncs never stall the serving event loop.
// PASSIVE never waits for readers or the writer; a frame still in use is copied on a later pass.
// After each pass it reports the WAL's frames (`log`) and how many are in the database
// (`checkpointed`); asked to drain, it makes one pass at once and answers with the same.
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
    const { log, checkpointed } = checkpoint.get();
    lastError = '';
    return { log, checkpointed };
  } catch (error) {
    const message = String(error && error.message);
    if (message !== lastError) parentPort.postMessage({ error: message });
    lastError = message;
    return { log: -1, checkpointed: -1 };
  }
};
const timer = setInterval(() => parentPort.postMessage(pass()), workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'drain') {
    parentPort.postMessage({ drained: true, ...pass() });
    return;
  }
  if (message !== 'close') return;
  clearInterval(timer);
  pass();
  db.close();
  parentPort.close();
});
`;

export interface WalProgress {
  /** Frames in the WAL since it last restarted. */
  readonly log: number;
  /** Of those, frames already copied into the database file. */
  readonly checkpointed: number;
}

export interface Checkpointer {
  /** The WAL as of the last pass. */
  readonly progress: WalProgress;
  /** One pass now; resolves when it is done. */
  drain(): Promise<WalProgress>;
  /** One last checkpoint, then the worker's connection is closed. */
  close(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the request path (measured in docs/PERFORMANCE.md): the serving connection runs
 * with wal_autocheckpoint=0 and this worker thread checkpoints every `intervalMs`.
 */
export function startCheckpointer(
  file: string,
  options: { intervalMs?: number; drainTimeoutMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs: options.intervalMs ?? 100 },
  });
  let progress: WalProgress = { log: 0, checkpointed: 0 };
  const drains: Array<(p: WalProgress) => void> = [];
  worker.on('message', (message: { error?: string; drained?: boolean } & WalProgress) => {
    if (message.error !== undefined) {
      options.onError?.(message.error);
      return;
    }
    progress = { log: message.log, checkpointed: message.checkpointed };
    if (message.drained) drains.shift()?.(progress);
  });
  worker.on('error', (error) => options.onError?.(error.message));
  worker.unref();
  // A drain is never left waiting: not on a worker that is gone, and not beyond `drainTimeoutMs`.
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      gone = true;
      for (const release of drains.splice(0)) release(progress);
      resolve();
    }),
  );
  const drainTimeoutMs = options.drainTimeoutMs ?? 2000;
  return {
    get progress() {
      return progress;
    },
    drain: () =>
      new Promise((resolve) => {
        if (gone) {
          resolve(progress);
          return;
        }
        const release = (p: WalProgress) => {
          clearTimeout(timer);
          resolve(p);
        };
        const timer = setTimeout(() => {
          const i = drains.indexOf(release);
          if (i >= 0) drains.splice(i, 1);
          resolve(progress);
        }, drainTimeoutMs);
        drains.push(release);
        worker.postMessage('drain');
      }),
    close: async () => {
      worker.postMessage('close');
      await exited;
    },
  };
}
