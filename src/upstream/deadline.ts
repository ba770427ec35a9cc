import { AsyncLocalStorage } from 'node:async_hooks';

export interface UpstreamBudget {
  /** When the request's upstream calls must have ended (milliseconds since the epoch). */
  readonly at: number;
  /** The whole budget, for messages. */
  readonly budgetMs: number;
}

const deadlines = new AsyncLocalStorage<UpstreamBudget>();

/**
 * Runs `work` with every upstream call it makes bounded to end within `budgetMs` from now:
 * the budget of one CAMS request, so the answer reaches the caller before its SDK gives up
 * (README "Running against Meta"). Only the Graph client reads it; the gateway sets it only when the
 * upstream is Meta's API (the embedded simulator answers in microseconds and needs no budget).
 */
export function withUpstreamDeadline<T>(budgetMs: number, work: () => Promise<T>): Promise<T> {
  return deadlines.run({ at: Date.now() + budgetMs, budgetMs }, work);
}

/** The deadline of the upstream calls of the request being served; undefined outside one. */
export function upstreamDeadline(): UpstreamBudget | undefined {
  return deadlines.getStore();
}
