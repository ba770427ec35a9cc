/**
 * Parses and strictly validates a RAM policy document (cams-api.md §4.1):
 *
 *   { "Version": "1", "Statement": <statement> | [<statement>, ...] }
 *   <statement> = { "Effect": "Allow"|"Deny", "Action"|"NotAction": ..., "Resource"|"NotResource": ...,
 *                   "Condition"?: {...} }
 *
 * A broken document is reported, never thrown: every problem found is listed with a JSON-path-like location.
 *
 * Extension: `NotResource` is accepted. Only the older Japanese syntax page lists it; the current element
 * table does not, so whether Alibaba honours it is uncertain (cams-api.md §4.1). It is evaluated like
 * `NotAction`.
 *
 * Limitation: duplicate JSON keys cannot be detected (`JSON.parse` keeps the last one).
 */
import { describe, isPlainObject, parseConditionBlock, stringList } from './parse-condition.js';
import { didYouMean } from './suggest.js';
import type { Condition, Effect, Policy, Statement } from './types.js';

export type ParseResult = { ok: true; policy: Policy } | { ok: false; errors: string[] };

/** Alibaba's limit on the length of a custom policy document. */
export const MAX_POLICY_DOCUMENT_LENGTH = 6144;

const TOP_LEVEL_KEYS = ['Version', 'Statement'];
const STATEMENT_KEYS = ['Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

/** `<ram-code>:<ActionName>` with `*` wildcards, e.g. `cams:Get*`, `cams:*` (cams-api.md §4.1). */
const ACTION = /^[A-Za-z0-9*][A-Za-z0-9_*-]*:[A-Za-z0-9_.*-]+$/;
/** `acs:<ram-code>:<region>:<account-id>:<relative-id>`, `*` allowed in any segment (cams-api.md §4.1). */
const RESOURCE = /^acs:[^:]+:[^:]*:[^:]*:.+$/;

function unknownKey(key: string, allowed: readonly string[], where: string): string {
  if (key === 'Principal') {
    return `${where}: "Principal" is only allowed in resource-based policies (e.g. role trust policies)`;
  }
  const hint = didYouMean(key, allowed) || ` (allowed: ${allowed.join(', ')})`;
  return `${where}: unknown key ${JSON.stringify(key)}${hint}`;
}

const checkAction = (a: string) =>
  a === '*' || ACTION.test(a)
    ? undefined
    : 'is not of the form "<service>:<ActionPattern>" (e.g. "cams:Get*") or "*"';
const checkResource = (r: string) =>
  r === '*' || RESOURCE.test(r)
    ? undefined
    : 'is not "*" or an ARN of the form "acs:<service>:<region>:<account-id>:<relative-id>"';

/** Exactly one of `positive` / `negative` must be present; returns the list and whether it is negated. */
function oneOf(
  raw: Record<string, unknown>,
  [positive, negative]: [string, string],
  path: string,
  errors: string[],
  check: (value: string) => string | undefined,
): { list: string[]; negated: boolean } {
  const hasPositive = Object.hasOwn(raw, positive);
  const hasNegative = Object.hasOwn(raw, negative);
  if (hasPositive === hasNegative) {
    errors.push(`${path} must have exactly one of ${positive} or ${negative}`);
    if (!hasPositive) return { list: [], negated: false };
  }
  const key = hasPositive ? positive : negative;
  return { list: stringList(raw[key], `${path}.${key}`, errors, check), negated: !hasPositive };
}

function parseStatement(raw: unknown, path: string, errors: string[]): Statement | undefined {
  if (!isPlainObject(raw)) {
    errors.push(`${path} must be an object, got ${describe(raw)}`);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.includes(key)) errors.push(unknownKey(key, STATEMENT_KEYS, path));
  }
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    const got = effect === undefined ? 'but it is missing' : `got ${describe(effect)}`;
    errors.push(`${path}.Effect must be "Allow" or "Deny", ${got}`);
  }
  const actions = oneOf(raw, ['Action', 'NotAction'], path, errors, checkAction);
  const resources = oneOf(raw, ['Resource', 'NotResource'], path, errors, checkResource);
  const conditions: Condition[] = Object.hasOwn(raw, 'Condition')
    ? parseConditionBlock(raw['Condition'], `${path}.Condition`, errors)
    : [];
  return {
    effect: effect as Effect,
    actions: actions.list,
    notAction: actions.negated,
    resources: resources.list,
    notResource: resources.negated,
    conditions,
  };
}

export function parsePolicyDocument(text: string): ParseResult {
  const errors: string[] = [];
  const length = text.length > MAX_POLICY_DOCUMENT_LENGTH ? Array.from(text).length : text.length;
  if (length > MAX_POLICY_DOCUMENT_LENGTH) {
    errors.push(
      `policy document is ${length} characters long; Alibaba Cloud limits custom policies to ${MAX_POLICY_DOCUMENT_LENGTH}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [...errors, `policy document is not valid JSON: ${(e as Error).message}`] };
  }
  if (!isPlainObject(doc)) {
    return { ok: false, errors: [...errors, `policy document must be a JSON object, got ${describe(doc)}`] };
  }
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_KEYS.includes(key)) errors.push(unknownKey(key, TOP_LEVEL_KEYS, 'policy document'));
  }
  if (doc['Version'] !== '1') {
    const got = doc['Version'] === undefined ? 'but it is missing' : `got ${describe(doc['Version'])}`;
    errors.push(`Version must be "1", ${got}`);
  }
  const rawStatements = doc['Statement'];
  const statements: Statement[] = [];
  if (Array.isArray(rawStatements)) {
    if (rawStatements.length === 0) errors.push('Statement must not be an empty array');
    rawStatements.forEach((s, i) => {
      const statement = parseStatement(s, `Statement[${i}]`, errors);
      if (statement) statements.push(statement);
    });
  } else if (isPlainObject(rawStatements)) {
    const statement = parseStatement(rawStatements, 'Statement', errors);
    if (statement) statements.push(statement);
  } else {
    const got = rawStatements === undefined ? 'but it is missing' : `got ${describe(rawStatements)}`;
    errors.push(`Statement must be an object or an array of statements, ${got}`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, policy: { version: '1', statements } };
}
