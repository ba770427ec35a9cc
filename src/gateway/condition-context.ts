import type { PipelineDeps, RequestContext } from './context.js';

/**
 * The condition keys of a request (cams-api.md §4.4) that policies are evaluated against: the RAM
 * policies of the caller (authorize), and a role's trust policy (STS AssumeRole).
 */
export function conditionContext(
  ctx: RequestContext,
  deps: PipelineDeps,
): Record<string, string | undefined> {
  return {
    'acs:SourceIp': ctx.http.sourceIp,
    'acs:SecureTransport': String(ctx.http.secure),
    'acs:CurrentTime': new Date(deps.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
