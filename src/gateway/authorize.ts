import { evaluate } from '../iam/policy/index.js';
import { authorizeSession } from './authorize-session.js';
import type { PipelineDeps, RequestContext } from './context.js';
import { fail, permissionDenied } from '../errors/index.js';

/**
 * authorize: root account keys are allowed; a RAM user needs an Allow and no Deny among its policies
 * (cams-api.md §4.2). Every CAMS action is on "All Resources" (cams-api.md §4.5), so the resource is the
 * account's whole cams namespace.
 */
export async function authorize(ctx: RequestContext, deps: PipelineDeps): Promise<void> {
  const { account, user, session } = ctx.caller!;
  // A temporary credential has no user and is never the root: the assumed role's policies decide.
  if (session !== undefined) return authorizeSession(ctx, deps, session);
  if (user === undefined) return;
  const action = ctx.action!;
  const policies = await deps.iam.policiesOf(account.id, user.id);
  const result = evaluate(policies, {
    action: action.ramAction,
    resource: `acs:cams:*:${account.id}:*`,
    context: {
      'acs:SourceIp': ctx.http.sourceIp,
      'acs:SecureTransport': String(ctx.http.secure),
      'acs:CurrentTime': new Date(deps.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  });
  if (result.decision === 'Allow') return;
  ctx.log.info(
    { decision: result.decision, matched: result.matched, ramAction: action.ramAction },
    'RAM denied',
  );
  throw permissionDenied({
    AuthAction: action.ramAction,
    AuthPrincipalType: 'SubUser',
    AuthPrincipalOwnerId: account.id,
    AuthPrincipalDisplayName: user.id,
    PolicyType: 'AccountLevelIdentityBasedPolicy',
    NoPermissionType: result.decision,
  });
}

/** subscription: the account must have the CAMS product (cams-api.md §1.1: Product.Unsubscript). */
export function subscription(ctx: RequestContext): void {
  if (!ctx.caller!.account.subscribed) throw fail('Product.Unsubscript');
}
