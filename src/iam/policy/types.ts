/**
 * The normalized RAM policy model (cams-api.md §4.1).
 *
 * `parsePolicyDocument` produces it from Alibaba's JSON grammar: single values become one-element arrays,
 * a single Statement object becomes a one-element list, and condition values of any JSON scalar type
 * become strings.
 */

export type Effect = 'Allow' | 'Deny';

export interface Statement {
  effect: Effect;
  /** Action patterns such as `cams:Get*` or `*`; with `notAction` the statement covers every other action. */
  actions: string[];
  notAction: boolean;
  /** Resource patterns (ARNs with `*`) or `*`; `notResource` is an extension, see parse.ts. */
  resources: string[];
  notResource: boolean;
  /** ANDed together (cams-api.md §4.3). */
  conditions: Condition[];
}

export interface Condition {
  /** The operator as written, e.g. `IpAddress`. */
  operator: string;
  /** The condition key, e.g. `acs:SourceIp`. */
  key: string;
  /**
   * ORed together (cams-api.md §4.3); for the negated operators the request value must match none of them.
   */
  values: string[];
}

export interface Policy {
  version: '1';
  statements: Statement[];
}
