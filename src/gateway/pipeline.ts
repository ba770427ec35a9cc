import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { authenticate } from './authenticate.js';
import { authorize, subscription } from './authorize.js';
import type { HttpRequestData, PipelineDeps, RequestContext, Step } from './context.js';
import { fail, ServiceError } from './errors.js';
import { flowControl } from './flow-control.js';
import { parse } from './parse.js';
import { RequestLog } from './request-log.js';
import { resolve } from './resolve.js';
import { errorAnswer, internalError, successAnswer, type Answer } from './serialize.js';
import { validate } from './validate.js';

/** handler: the action's own work, with the wire -> internal translation of its input. */
const handle: Step = async (ctx, deps) => {
  const action = ctx.action!;
  ctx.data = await action.handler(action.toInput(ctx.input!), {
    requestId: ctx.requestId,
    accountId: ctx.caller!.account.id,
    services: deps.services,
    log: ctx.log,
  });
};

/**
 * The request pipeline, in order (architecture.md, "One request, top to bottom"). Each step establishes one
 * thing or throws a catalogued ServiceError; nothing after a failed step runs.
 */
export const PIPELINE: readonly Step[] = [
  parse, //          method, path, params = query ∪ form body
  resolve, //        protocol, Action, Version, Format
  authenticate, //   timestamp, key, signature, nonce
  flowControl, //    System.LimitControl
  authorize, //      Ram.PermissionDeny
  subscription, //   Product.Unsubscript
  validate, //       Missing{Name}, InvalidParameter
  handle, //         Unknown.ResourceOwnerId, business codes
];

// What an unreachable or stalled PostgreSQL or Redis throws, so the request answers ServiceUnavailable (and
// the instance recovers) instead of hanging or failing with InternalError: the system errors of a
// refused, reset or timed-out connection; PostgreSQL's SQLSTATEs of a lost connection (class 08), a
// shutdown or a server not accepting connections yet (57P01-57P03), too many connections (53300) and
// statement_timeout (57014); and the driver errors that carry no code: pg's connect and query timeouts
// and dropped connections, ioredis's refusal while disconnected (no offline queue), command timeout,
// closed connection and retry limit.
const UNREACHABLE_CODES =
  /^(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|08[0-9A-Z]{3}|57P0[1-3]|53300|57014)$/;
const UNREACHABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not queryable|Stream isn't writeable|Command timed out|Connection is closed|max retries per request/i;

/** A dependency is unreachable: answered as the catalogued, retryable ServiceUnavailable (503). */
function isUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.test(code)) return true;
  if (UNREACHABLE_MESSAGES.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((e) => isUnavailable(e, depth + 1))) return true;
  return isUnavailable(error.cause, depth + 1);
}

/** Runs one request through the pipeline and serializes the outcome; never throws. */
export async function runPipeline(
  http: HttpRequestData,
  deps: PipelineDeps,
  log: Logger,
  hostId: string,
): Promise<{ answer: Answer; ctx: RequestContext }> {
  const requestId = randomUUID().toUpperCase();
  const ctx: RequestContext = {
    requestId,
    receivedAt: deps.clock.now(),
    http,
    log: new RequestLog(log, { requestId }),
    queryPairs: [],
    bodyPairs: [],
    params: new Map(),
    format: 'JSON',
    // Every field a step fills in exists from the start: one object shape for every request.
    protocol: undefined,
    actionName: undefined,
    action: undefined,
    caller: undefined,
    input: undefined,
    data: undefined,
  };
  const envelope = () => ({ requestId, hostId, format: ctx.format, actionName: ctx.actionName });
  try {
    for (const step of PIPELINE) {
      const pending = step(ctx, deps);
      if (pending !== undefined) await pending; // synchronous steps cost no turn of the microtask queue
    }
    return { answer: successAnswer(envelope(), ctx.data ?? {}, ctx.action?.successMessage), ctx };
  } catch (error) {
    if (error instanceof ServiceError) return { answer: errorAnswer(envelope(), error), ctx };
    if (isUnavailable(error)) {
      ctx.log.warn({ err: error }, 'dependency unavailable');
      return { answer: errorAnswer(envelope(), fail('ServiceUnavailable')), ctx };
    }
    ctx.log.error({ err: error }, 'unhandled error');
    return { answer: errorAnswer(envelope(), internalError()), ctx };
  }
}
