import { Worker } from 'node:worker_threads';

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
 * Moves WAL checkpoints off the request path (measured in docs/PERFORMANCE.md): the serving connection
 * runs with wal_autocheckpoint=0 and a worker thread (checkpoint-worker.js) checkpoints every `intervalMs`.
 */
export function startCheckpointer(
  file: string,
  options: { intervalMs?: number; drainTimeoutMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  // Beside this module in src/ and dist/, and in dist/bundle/ (scripts/bundle.mjs builds it there).
  const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), {
    workerData: { file, intervalMs: options.intervalMs ?? 100 },
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
