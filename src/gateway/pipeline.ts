import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { authenticate } from './authenticate.js';
import { authorize, subscription } from './authorize.js';
import { conditionContext } from './condition-context.js';
import type { HttpRequestData, PipelineDeps, RequestContext, Step } from './context.js';
import { ServiceError } from '../errors/index.js';
import { flowControl } from './flow-control.js';
import { parse } from './parse.js';
import { RequestLog } from '../log/request-log.js';
import { resolve } from './resolve.js';
import { errorAnswer, internalError, successAnswer, type Answer } from './serialize.js';
import { validate } from './validate.js';
import type { UnitOfWork } from '../store/index.js';

/** handler: the action's own work, with the wire -> internal translation of its input. */
const handle: Step = async (ctx, deps) => {
  const action = ctx.action!;
  ctx.data = await action.handler(action.toInput(ctx.input!), {
    requestId: ctx.requestId,
    accountId: ctx.caller!.account.id,
    userName: ctx.caller!.user?.name,
    services: deps.services,
    log: ctx.log,
    caller: ctx.caller!,
    conditions: conditionContext(ctx, deps),
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

export interface PipelineResult {
  readonly answer: Answer;
  readonly ctx: RequestContext;
  /** The answer's Code (`OK`, or the error's), for the access log. */
  readonly code: string;
}

/** Runs one request through the pipeline and serializes the outcome; never throws. */
export async function runPipeline(
  http: HttpRequestData,
  deps: PipelineDeps,
  log: Logger,
  hostId: string,
  unit?: UnitOfWork,
): Promise<PipelineResult> {
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
    product: undefined,
    action: undefined,
    caller: undefined,
    input: undefined,
    data: undefined,
    atEndOfWork: unit && ((write) => unit.atEnd(write)),
  };
  const envelope = () => ({
    requestId,
    hostId,
    format: ctx.format,
    actionName: ctx.actionName,
    product: ctx.product,
  });
  try {
    for (const step of PIPELINE) {
      const pending = step(ctx, deps);
      if (pending !== undefined) await pending; // synchronous steps cost no turn of the microtask queue
    }
    return { answer: successAnswer(envelope(), ctx.data ?? {}, ctx.action?.successMessage), ctx, code: 'OK' };
  } catch (error) {
    if (error instanceof ServiceError) {
      // The store and throttle adapters turn an unreachable PostgreSQL or Redis into ServiceUnavailable.
      if (error.code === 'ServiceUnavailable' && error.cause !== undefined)
        ctx.log.warn({ err: error.cause }, 'dependency unavailable');
      return { answer: errorAnswer(envelope(), error), ctx, code: error.code };
    }
    ctx.log.error({ err: error }, 'unhandled error');
    return { answer: errorAnswer(envelope(), internalError()), ctx, code: 'InternalError' };
  }
}
