import type { Socket } from 'node:net';

/** Requests parsed off one connection and still waiting for their turn, past which it is read no further. */
export const PIPELINE_PAUSE_AT = 16;
/** ... and from which it is read again. */
export const PIPELINE_RESUME_AT = 4;

/**
 * The socket's libuv stream. Node's HTTP server hands the stream to its parser (`parser.consume`), so
 * `socket.pause()` stops nothing: the parser keeps reading. Reading is stopped and started on the handle,
 * as net.Socket itself does (`_handle.reading`, `readStop()`, `readStart()`).
 */
interface StreamHandle {
  reading?: boolean;
  readStop?(): number;
  readStart?(): number;
}

const handleOf = (socket: Socket): StreamHandle | undefined =>
  (socket as unknown as { _handle?: StreamHandle | null })._handle ?? undefined;

/**
 * Stops reading a connection that pipelines requests faster than its source's turns take them. Node's
 * HTTP server parses every request a connection has sent, however many, and each parsed request costs
 * objects and time whether it runs or waits; a client that writes thousands at once would otherwise keep
 * the event loop parsing for hundreds of milliseconds, delaying every other client before the
 * FairScheduler is even asked. With the brake, a connection has at most PIPELINE_PAUSE_AT requests
 * waiting (plus the rest of one read); the kernel's buffers and TCP flow control hold the others.
 */
export class PipelineBrake {
  readonly #waiting = new WeakMap<Socket, number>();
  readonly #stopped = new WeakSet<Socket>();

  /** A request of `socket` was parsed and waits for its turn. */
  queued(socket: Socket): void {
    const n = (this.#waiting.get(socket) ?? 0) + 1;
    this.#waiting.set(socket, n);
    if (n < PIPELINE_PAUSE_AT || socket.destroyed) return;
    const handle = handleOf(socket);
    if (handle?.readStop === undefined || handle.reading === false) return;
    handle.reading = false;
    handle.readStop();
    this.#stopped.add(socket);
  }

  /** A request of `socket` has started (or was refused): it waits no more. */
  started(socket: Socket): void {
    const n = Math.max(0, (this.#waiting.get(socket) ?? 1) - 1);
    this.#waiting.set(socket, n);
    if (n > PIPELINE_RESUME_AT || !this.#stopped.has(socket)) return;
    this.#stopped.delete(socket);
    const handle = handleOf(socket);
    if (socket.destroyed || handle?.readStart === undefined || handle.reading === true) return;
    handle.reading = true;
    handle.readStart();
  }
}
