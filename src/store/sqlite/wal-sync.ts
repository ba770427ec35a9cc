import { fsync as fsyncFile } from 'node:fs';

type Fsync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void;

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Makes committed WAL frames durable off the event loop. The serving connection commits with
 * synchronous=NORMAL (the frames are written, not yet synced); `sync()` then fsyncs the WAL file on
 * libuv's thread pool and resolves once everything written before the call is on disk. Callers that
 * arrive while an fsync runs share the next one, so there is at most one in flight and one waiting,
 * however many commits happen meanwhile.
 *
 * Fail-stop: once an fsync fails, the kernel may have dropped the dirty pages, and a later fsync that
 * succeeds would prove nothing; every later call rejects with the first error.
 */
export class WalSync {
  readonly #fd: number;
  readonly #fsync: Fsync;
  #inFlight: Deferred | undefined;
  #next: Deferred | undefined;
  #failed: unknown;

  constructor(fd: number, fsync: Fsync = fsyncFile) {
    this.#fd = fd;
    this.#fsync = fsync;
  }

  /** Resolves when everything written to the WAL before this call is durable. */
  sync(): Promise<void> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    if (this.#inFlight === undefined) {
      this.#inFlight = deferred();
      this.#start();
      return this.#inFlight.promise;
    }
    // The fsync in flight may have started before the caller's write: it needs the next one.
    this.#next ??= deferred();
    return this.#next.promise;
  }

  /** Resolves when the fsyncs already asked for are done (at once if none is). */
  idle(): Promise<void> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    return (this.#next ?? this.#inFlight)?.promise ?? Promise.resolve();
  }

  #start(): void {
    this.#fsync(this.#fd, (error) => {
      const done = this.#inFlight!;
      this.#inFlight = this.#next;
      this.#next = undefined;
      if (error !== null) this.#failed ??= error;
      if (this.#failed !== undefined) {
        done.reject(this.#failed);
        this.#inFlight?.reject(this.#failed);
        this.#inFlight = undefined;
        return;
      }
      done.resolve();
      if (this.#inFlight !== undefined) this.#start();
    });
  }
}
