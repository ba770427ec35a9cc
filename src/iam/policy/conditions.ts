/**
 * Condition operators and their evaluation (cams-api.md §4.3, keys cams-api.md §4.4).
 *
 * Semantics:
 * - Every condition of a statement must hold (the operators and keys of one Condition block are ANDed).
 * - The values listed for one key are ORed: the condition holds if the request value matches any of them.
 *   For the negated operators (StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, NumericNotEquals,
 *   DateNotEquals, NotIpAddress) it holds if the request value matches none of them.
 * - A key absent from the request context makes the condition NOT hold, for positive and negated operators
 *   alike (Alibaba lists no `…IfExists` or `Null` operator, cams-api.md §4.3). So `NotIpAddress` on a missing
 *   `acs:SourceIp` does not hold: the gateway must always supply the keys of cams-api.md §4.4 it knows.
 *   The same goes for a request value that does not fit the operator's type (e.g. `abc` for Numeric*).
 * - Condition keys are looked up exactly, then ignoring case (Alibaba does not say; AWS keys are
 *   case-insensitive, and this way a Deny written as `acs:sourceip` still applies).
 */
import { ipInCidr, parseCidr, parseIp } from './ip-address.js';
import { parseIsoDate } from './iso-date.js';
import { wildcardMatch } from './match.js';
import { didYouMean } from './suggest.js';
import type { Condition } from './types.js';

interface OperatorSpec<P, R> {
  /** Parses a policy value; undefined means it does not fit the operator's type. */
  policyValue(text: string): P | undefined;
  /** Parses the request's value for the key; undefined means the condition cannot hold. */
  requestValue(text: string): R | undefined;
  /** The positive comparison; negated operators invert the OR over all values. */
  test(request: R, policy: P): boolean;
  negated: boolean;
  /** How a value that fails `policyValue` is described in parse errors. */
  expected: string;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const asNumber = (t: string): number | undefined => (DECIMAL.test(t) ? Number(t) : undefined);
const asBool = (t: string): string | undefined => (t === 'true' || t === 'false' ? t : undefined);
const asRequestBool = (t: string): string | undefined => asBool(t.toLowerCase());
const asString = (t: string): string => t;

function spec<P, R>(s: OperatorSpec<P, R>): OperatorSpec<unknown, unknown> {
  return s as OperatorSpec<unknown, unknown>;
}

function stringOp(negated: boolean, test: (r: string, p: string) => boolean) {
  return spec({ policyValue: asString, requestValue: asString, test, negated, expected: 'a string' });
}
function numericOp(negated: boolean, test: (r: number, p: number) => boolean) {
  return spec({ policyValue: asNumber, requestValue: asNumber, test, negated, expected: 'a number' });
}
function dateOp(negated: boolean, test: (r: number, p: number) => boolean) {
  const expected = 'an ISO 8601 date or date-time (e.g. "2026-01-31T12:00:00Z")';
  return spec({ policyValue: parseIsoDate, requestValue: parseIsoDate, test, negated, expected });
}
function ipOp(negated: boolean) {
  return spec({
    policyValue: parseCidr,
    requestValue: parseIp,
    test: ipInCidr,
    negated,
    expected: 'an IP address or CIDR',
  });
}

const equalsIgnoreCase = (r: string, p: string) => r.toLowerCase() === p.toLowerCase();
const like = (r: string, p: string) => wildcardMatch(p, r, { caseInsensitive: false, questionMark: true });

/** The operators Alibaba documents (cams-api.md §4.3), spelled exactly; operator names are case-sensitive. */
const OPERATORS: Readonly<Record<string, OperatorSpec<unknown, unknown>>> = {
  StringEquals: stringOp(false, (r, p) => r === p),
  StringNotEquals: stringOp(true, (r, p) => r === p),
  StringEqualsIgnoreCase: stringOp(false, equalsIgnoreCase),
  StringNotEqualsIgnoreCase: stringOp(true, equalsIgnoreCase),
  StringLike: stringOp(false, like),
  StringNotLike: stringOp(true, like),
  NumericEquals: numericOp(false, (r, p) => r === p),
  NumericNotEquals: numericOp(true, (r, p) => r === p),
  NumericLessThan: numericOp(false, (r, p) => r < p),
  NumericLessThanEquals: numericOp(false, (r, p) => r <= p),
  NumericGreaterThan: numericOp(false, (r, p) => r > p),
  NumericGreaterThanEquals: numericOp(false, (r, p) => r >= p),
  DateEquals: dateOp(false, (r, p) => r === p),
  DateNotEquals: dateOp(true, (r, p) => r === p),
  DateLessThan: dateOp(false, (r, p) => r < p),
  DateLessThanEquals: dateOp(false, (r, p) => r <= p),
  DateGreaterThan: dateOp(false, (r, p) => r > p),
  DateGreaterThanEquals: dateOp(false, (r, p) => r >= p),
  Bool: spec({
    policyValue: asBool,
    requestValue: asRequestBool,
    test: (r, p) => r === p,
    negated: false,
    expected: 'true or false',
  }),
  IpAddress: ipOp(false),
  NotIpAddress: ipOp(true),
};

export const CONDITION_OPERATORS: readonly string[] = Object.keys(OPERATORS);

export function isConditionOperator(operator: string): boolean {
  return Object.hasOwn(OPERATORS, operator);
}

/** `unknown condition operator "StringEqualz" (did you mean "StringEquals"?)` */
export function unknownOperator(operator: string): string {
  return `unknown condition operator ${JSON.stringify(operator)}${didYouMean(operator, CONDITION_OPERATORS)}`;
}

/**
 * Why `value` cannot be a value of `operator` (e.g. `is not a number`), or undefined if it fits.
 * An unknown operator yields its own message.
 */
export function checkConditionValue(operator: string, value: string): string | undefined {
  const op = OPERATORS[operator];
  if (!op) return unknownOperator(operator);
  return op.policyValue(value) === undefined ? `is not ${op.expected}` : undefined;
}

function lookup(context: Readonly<Record<string, string | undefined>>, key: string): string | undefined {
  if (Object.hasOwn(context, key)) return context[key];
  const lower = key.toLowerCase();
  const found = Object.keys(context)
    .sort()
    .find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : context[found];
}

export interface ConditionOutcome {
  holds: boolean;
  /** Set when the condition itself is broken (unknown operator, ill-typed value); it then does not hold. */
  error?: string;
}

/** Evaluates one condition against the request context (see the semantics at the top of this file). */
export function evaluateCondition(
  condition: Condition,
  context: Readonly<Record<string, string | undefined>>,
): ConditionOutcome {
  const { operator, key, values } = condition;
  const op = OPERATORS[operator];
  if (!op) return { holds: false, error: unknownOperator(operator) };
  const policyValues: unknown[] = [];
  for (const value of values) {
    const parsed = op.policyValue(value);
    if (parsed === undefined) {
      return {
        holds: false,
        error: `${operator}[${JSON.stringify(key)}]: ${JSON.stringify(value)} is not ${op.expected}`,
      };
    }
    policyValues.push(parsed);
  }
  const raw = lookup(context, key);
  if (raw === undefined) return { holds: false };
  const requestValue = op.requestValue(raw);
  if (requestValue === undefined) return { holds: false };
  const anyMatch = policyValues.some((p) => op.test(requestValue, p));
  return { holds: op.negated ? !anyMatch : anyMatch };
}

/** ANDs the conditions of one statement; every broken condition is reported and counts as not holding. */
export function conditionsHold(
  conditions: readonly Condition[],
  context: Readonly<Record<string, string | undefined>>,
): { holds: boolean; errors: string[] } {
  let holds = true;
  const errors: string[] = [];
  for (const condition of conditions) {
    const outcome = evaluateCondition(condition, context);
    if (outcome.error !== undefined) errors.push(outcome.error);
    if (!outcome.holds) holds = false;
  }
  return { holds, errors };
}
