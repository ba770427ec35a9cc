import { evaluateSession } from '../iam/policy/index.js';
import type { AssumedRole } from '../iam/assumed-role.js';
import { permissionDenied } from '../errors/index.js';
import { conditionContext } from './condition-context.js';
import type { PipelineDeps, RequestContext } from './context.js';

/**
 * authorize for a temporary credential: the role's attached policies intersected with the session policy
 * (iam/policy/session-policy.ts). The role is found by its ID: one deleted and created again under the
 * same name is another role and grants the old sessions nothing. A denial names the assumed-role principal as Alibaba does
 * (cams-api.md §3.2): AuthPrincipalType AssumedRoleUser, AuthPrincipalDisplayName `<role>:<session>`.
 */
export async function authorizeSession(
  ctx: RequestContext,
  deps: PipelineDeps,
  session: AssumedRole,
): Promise<void> {
  const { account } = ctx.caller!;
  const action = ctx.action!;
  const product = ctx.product!;
  const result = evaluateSession(
    await deps.services.roles.policiesOf({ accountId: account.id, id: session.roleId }),
    session.sessionPolicy,
    {
      action: action.ramAction,
      resource: `acs:${product.code}:*:${account.id}:*`,
      context: conditionContext(ctx, deps),
    },
  );
  if (result.decision === 'Allow') return;
  ctx.log.info(
    {
      decision: result.decision,
      matched: result.matched,
      ramAction: action.ramAction,
      policyType: result.policyType,
    },
    'RAM denied',
  );
  throw permissionDenied(product.denial, {
    AuthAction: action.ramAction,
    AuthPrincipalType: 'AssumedRoleUser',
    AuthPrincipalOwnerId: account.id,
    AuthPrincipalDisplayName: `${session.roleName}:${session.sessionName}`,
    PolicyType: result.policyType,
    NoPermissionType: result.decision,
  });
}
