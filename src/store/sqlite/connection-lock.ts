/**
 * The one connection's lock: whoever holds it runs statements or a transaction. Taking a free lock
 * costs one resolved promise; waiters are served in arrival order.
 */
export class ConnectionLock {
  #held = false;
  readonly #queue: Array<() => void> = [];

  get held(): boolean {
    return this.#held;
  }

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  /** Hands the lock to the next waiter, or frees it. */
  release(): void {
    const next = this.#queue.shift();
    if (next === undefined) this.#held = false;
    else next();
  }
}
