/**
 * Authorization of an assumed role (STS AssumeRole): the role's attached policies intersected with the
 * session policy given to AssumeRole, which can only narrow them (cams-api.md §4.2 step 4 within each
 * set; cams-api.md §3.2 for the PolicyType a denial names). A Deny in either set denies; otherwise both must allow
 * (the session policy only when there is one).
 */
import { evaluate, type Decision, type NamedPolicy, type RequestFacts } from './evaluate.js';
import type { Policy } from './types.js';

export interface SessionDecision extends Decision {
  /** Which set decided a denial, as AccessDeniedDetail.PolicyType names it. */
  policyType: 'AccountLevelIdentityBasedPolicy' | 'SessionPolicy';
}

/** The name the session policy's statements are reported under. */
export const SESSION_POLICY_NAME = 'SessionPolicy';

export function evaluateSession(
  rolePolicies: NamedPolicy[],
  sessionPolicy: Policy | undefined,
  facts: RequestFacts,
): SessionDecision {
  const role = evaluate(rolePolicies, facts);
  const session =
    sessionPolicy === undefined
      ? undefined
      : evaluate([{ name: SESSION_POLICY_NAME, type: 'Custom', policy: sessionPolicy }], facts);
  const byRole = { ...role, policyType: 'AccountLevelIdentityBasedPolicy' as const };
  const bySession = session && { ...session, policyType: 'SessionPolicy' as const };
  if (role.decision === 'ExplicitDeny') return byRole;
  if (bySession?.decision === 'ExplicitDeny') return bySession;
  if (role.decision !== 'Allow') return byRole;
  if (bySession !== undefined && bySession.decision !== 'Allow') return bySession;
  return byRole;
}
