import { evaluate } from '../iam/policy/index.js';
import { authorizeSession } from './authorize-session.js';
import { conditionContext } from './condition-context.js';
import type { PipelineDeps, RequestContext } from './context.js';
import { fail, permissionDenied } from '../errors/index.js';

/**
 * authorize: root account keys are allowed; a RAM user needs an Allow and no Deny among its policies
 * (cams-api.md §4.2). Every CAMS action is on "All Resources" (cams-api.md §4.5), so the resource is the
 * account's whole namespace of the product (`acs:cams:*:<uid>:*`, `acs:ram:*:<uid>:*`). A denial answers
 * the product's Code: Ram.PermissionDeny for CAMS, NoPermission for RAM and STS.
 */
export async function authorize(ctx: RequestContext, deps: PipelineDeps): Promise<void> {
  if (ctx.action!.authorization === 'none') return;
  const { account, user, session } = ctx.caller!;
  // A temporary credential has no user and is never the root: the assumed role's policies decide.
  if (session !== undefined) return authorizeSession(ctx, deps, session);
  if (user === undefined) return;
  const action = ctx.action!;
  const product = ctx.product!;
  const policies = await deps.iam.policiesOf(account.id, user.id);
  const result = evaluate(policies, {
    action: action.ramAction,
    resource: `acs:${product.code}:*:${account.id}:*`,
    context: conditionContext(ctx, deps),
  });
  if (result.decision === 'Allow') return;
  ctx.log.info(
    { decision: result.decision, matched: result.matched, ramAction: action.ramAction },
    'RAM denied',
  );
  throw permissionDenied(product.denial, {
    AuthAction: action.ramAction,
    AuthPrincipalType: 'SubUser',
    AuthPrincipalOwnerId: account.id,
    AuthPrincipalDisplayName: user.id,
    PolicyType: 'AccountLevelIdentityBasedPolicy',
    NoPermissionType: result.decision,
  });
}

/**
 * subscription: the account must have the CAMS product (cams-api.md §1.1: Product.Unsubscript); RAM and
 * STS belong to every account.
 */
export function subscription(ctx: RequestContext): void {
  if (ctx.product!.subscription && !ctx.caller!.account.subscribed) throw fail('Product.Unsubscript');
}
