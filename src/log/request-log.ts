import type { Logger } from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * A request's logger: the service logger plus the request's bindings (requestId, then the caller).
 * The pino child is only made when a line is actually written at an enabled level: most requests at
 * the default level write nothing but the access line, and a child per request and per binding step
 * cost several percent of a request's CPU (docs/PERFORMANCE.md).
 */
export class RequestLog {
  readonly #base: Logger;
  readonly #bindings: Record<string, unknown>;
  readonly #parent: RequestLog | undefined;
  #child: Logger | undefined;

  constructor(base: Logger, bindings: Record<string, unknown>, parent?: RequestLog) {
    this.#base = base;
    this.#bindings = bindings;
    this.#parent = parent;
  }

  /** The same request with more bindings (merged only when a line is written). */
  with(bindings: Record<string, unknown>): RequestLog {
    return new RequestLog(this.#base, bindings, this);
  }

  #allBindings(): Record<string, unknown> {
    return this.#parent === undefined
      ? this.#bindings
      : { ...this.#parent.#allBindings(), ...this.#bindings };
  }

  debug(fields: object, message: string): void {
    this.#write('debug', fields, message);
  }
  info(fields: object, message: string): void {
    this.#write('info', fields, message);
  }
  warn(fields: object, message: string): void {
    this.#write('warn', fields, message);
  }
  error(fields: object, message: string): void {
    this.#write('error', fields, message);
  }

  #write(level: Level, fields: object, message: string): void {
    if (!this.#base.isLevelEnabled(level)) return;
    this.#child ??= this.#base.child(this.#allBindings());
    this.#child[level](fields, message);
  }
}
