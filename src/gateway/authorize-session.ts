import { evaluateSession, type NamedPolicy } from '../iam/policy/index.js';
import type { AssumedRole } from '../iam/assumed-role.js';
import { permissionDenied } from '../errors/index.js';
import { conditionContext } from './condition-context.js';
import type { PipelineDeps, RequestContext } from './context.js';

/** The policies attached to a role. None yet: a session is allowed nothing until roles exist. */
async function rolePolicies(
  _deps: PipelineDeps,
  _accountId: string,
  _roleId: string,
): Promise<NamedPolicy[]> {
  return [];
}

/**
 * authorize for a temporary credential: the role's attached policies intersected with the session policy
 * (iam/policy/session-policy.ts). A denial names the assumed-role principal as Alibaba does
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
    await rolePolicies(deps, account.id, session.roleId),
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
