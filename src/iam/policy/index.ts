/** RAM policy language: parse, match, evaluate (cams-api.md §4). */
export type { Condition, Effect, Policy, Statement } from './types.js';
export { MAX_POLICY_DOCUMENT_LENGTH, parsePolicyDocument, type ParseResult } from './parse.js';
export { actionMatches, resourceMatches, wildcardMatch, type WildcardOptions } from './match.js';
export { CONDITION_OPERATORS, evaluateCondition, type ConditionOutcome } from './conditions.js';
export {
  evaluate,
  type Decision,
  type MatchedStatement,
  type NamedPolicy,
  type RequestFacts,
} from './evaluate.js';
export { SYSTEM_POLICIES, systemPolicy } from './system-policies.js';
export { evaluateSession, SESSION_POLICY_NAME, type SessionDecision } from './session-policy.js';
export {
  evaluateTrustPolicy,
  MAX_TRUST_POLICY_LENGTH,
  parseTrustPolicy,
  type TrustDecision,
  type TrustParseResult,
  type TrustPolicy,
  type TrustPrincipal,
  type TrustRequest,
  type TrustStatement,
} from './trust-policy.js';
