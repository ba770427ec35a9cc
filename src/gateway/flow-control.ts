import type { PipelineDeps, RequestContext } from './context.js';
import { fail } from '../errors/index.js';

/**
 * flow control: per account and action, the action's QPS over any sliding second. RAM users share
 * their account's quota (cams-api.md §1.1, QPS). A refused call has no effect.
 */
export async function flowControl(ctx: RequestContext, deps: PipelineDeps): Promise<void> {
  const action = ctx.action!;
  const accountId = ctx.caller!.account.id;
  if (!(await deps.limiter.tryAcquire(`${accountId}:${action.name}`, action.qps, deps.clock.now()))) {
    throw fail('System.LimitControl');
  }
}
