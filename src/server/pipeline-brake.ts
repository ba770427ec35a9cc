import type { Socket } from 'node:net';

/** Requests parsed off one connection and still waiting for their turn, past which it is read no further. */
export const PIPELINE_PAUSE_AT = 16;
/** ... and from which it is read again. */
export const PIPELINE_RESUME_AT = 4;

/** Node's own pause for answers it cannot write yet (`socket._paused`): not ours to undo. */
interface NodeHttpSocket extends Socket {
  _paused?: boolean;
}

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

  /** A request of `socket` was parsed and waits for its turn. */
  queued(socket: Socket): void {
    const n = (this.#waiting.get(socket) ?? 0) + 1;
    this.#waiting.set(socket, n);
    if (n >= PIPELINE_PAUSE_AT && !socket.isPaused()) socket.pause();
  }

  /** A request of `socket` has started (or was refused): it waits no more. */
  started(socket: Socket): void {
    const n = Math.max(0, (this.#waiting.get(socket) ?? 1) - 1);
    this.#waiting.set(socket, n);
    if (n <= PIPELINE_RESUME_AT && socket.isPaused() && (socket as NodeHttpSocket)._paused !== true)
      socket.resume();
  }
}
