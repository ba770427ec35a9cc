/**
 * Policy evaluation within one policy set (cams-api.md §4.2 step 4):
 * any matching Deny ⇒ ExplicitDeny; else any matching Allow ⇒ Allow; else ImplicitDeny (deny by default).
 *
 * Pure and deterministic: the request time arrives as `acs:CurrentTime` in `facts.context`, never from a clock.
 * The decision carries its reasons: the statements that produced it, in policy and statement order.
 */
import { conditionsHold } from './conditions.js';
import { actionMatches, resourceMatches } from './match.js';
import type { Effect, Policy, Statement } from './types.js';

export interface RequestFacts {
  /** e.g. `cams:AddChatappPhoneNumber` */
  action: string;
  /** e.g. `acs:cams:*:1234567890123456:*` */
  resource: string;
  /** Condition keys (cams-api.md §4.4), e.g. `acs:SourceIp`, `acs:SecureTransport`, `acs:CurrentTime`. */
  context: Record<string, string | undefined>;
}

export interface NamedPolicy {
  name: string;
  type: 'System' | 'Custom';
  policy: Policy;
}

export interface MatchedStatement {
  policyName: string;
  policyType: 'System' | 'Custom';
  /** Index into the normalized statement list (0 for a document whose Statement is a single object). */
  statementIndex: number;
  effect: Effect;
}

export interface Decision {
  /**
   * `ImplicitDeny` / `ExplicitDeny` are what AccessDeniedDetail.NoPermissionType reports (cams-api.md §3.2).
   */
  decision: 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';
  /** For ExplicitDeny the matching Deny statements; for Allow the matching Allow statements; else empty. */
  matched: MatchedStatement[];
  /**
   * Present only when some policy could not be evaluated as written (e.g. an unknown operator in a policy
   * that did not come through `parsePolicyDocument`). Such a condition does not hold; it is reported here,
   * not thrown, in the manner of cedar's authorizer diagnostics.
   */
  errors?: string[];
}

function statementApplies(statement: Statement, facts: RequestFacts, errors: string[]): boolean {
  const actionListed = statement.actions.some((pattern) => actionMatches(pattern, facts.action));
  if (actionListed === statement.notAction) return false;
  const resourceListed = statement.resources.some((pattern) => resourceMatches(pattern, facts.resource));
  if (resourceListed === statement.notResource) return false;
  const conditions = conditionsHold(statement.conditions, facts.context);
  errors.push(...conditions.errors);
  return conditions.holds;
}

export function evaluate(policies: NamedPolicy[], facts: RequestFacts): Decision {
  const allows: MatchedStatement[] = [];
  const denies: MatchedStatement[] = [];
  const errors: string[] = [];
  for (const { name, type, policy } of policies) {
    policy.statements.forEach((statement, statementIndex) => {
      const statementErrors: string[] = [];
      const applies = statementApplies(statement, facts, statementErrors);
      for (const e of statementErrors) errors.push(`policy ${name} Statement[${statementIndex}]: ${e}`);
      if (!applies) return;
      const matched = { policyName: name, policyType: type, statementIndex, effect: statement.effect };
      // An effect other than Allow (only possible for a hand-built policy) is treated as Deny: never widen access.
      (statement.effect === 'Allow' ? allows : denies).push(matched);
    });
  }
  const decision: Decision =
    denies.length > 0
      ? { decision: 'ExplicitDeny', matched: denies }
      : allows.length > 0
        ? { decision: 'Allow', matched: allows }
        : { decision: 'ImplicitDeny', matched: [] };
  if (errors.length > 0) decision.errors = errors;
  return decision;
}
