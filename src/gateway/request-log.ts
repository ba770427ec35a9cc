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
  #child: Logger | undefined;

  constructor(base: Logger, bindings: Record<string, unknown>) {
    this.#base = base;
    this.#bindings = bindings;
  }

  /** The same request with more bindings. */
  with(bindings: Record<string, unknown>): RequestLog {
    return new RequestLog(this.#base, { ...this.#bindings, ...bindings });
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
    this.#child ??= this.#base.child(this.#bindings);
    this.#child[level](fields, message);
  }
}
