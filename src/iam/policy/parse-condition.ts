/**
 * Validation of a statement's Condition block (cams-api.md §4.1 grammar, cams-api.md §4.3 operators):
 * `{ <operator>: { <condition_key>: <value> | [<value>, ...] }, ... }`.
 */
import { checkConditionValue, isConditionOperator, unknownOperator } from './conditions.js';
import type { Condition } from './types.js';

/** `<service>:<KeyName>`, e.g. `acs:SourceIp`, `acs:ResourceTag/team` (cams-api.md §4.4). */
const CONDITION_KEY = /^[A-Za-z0-9_.-]+:\S+$/;

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Condition values may be JSON strings, numbers or booleans; they are normalized to strings. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function parseValues(operator: string, raw: unknown, path: string, errors: string[]): string[] {
  const items = Array.isArray(raw) ? raw : [raw];
  if (Array.isArray(raw) && raw.length === 0) {
    errors.push(`${path} must not be an empty array (the values of a key are ORed, so it could never match)`);
  }
  const values: string[] = [];
  items.forEach((item, i) => {
    const where = Array.isArray(raw) ? `${path}[${i}]` : path;
    const value = scalar(item);
    if (value === undefined) {
      errors.push(`${where} must be a string, number or boolean, got ${describe(item)}`);
      return;
    }
    const problem = checkConditionValue(operator, value);
    if (problem !== undefined) errors.push(`${where}: ${JSON.stringify(value)} ${problem}`);
    values.push(value);
  });
  return values;
}

/** Parses `Condition`, appending a message per problem to `errors`; `path` is e.g. `Statement[0].Condition`. */
export function parseConditionBlock(raw: unknown, path: string, errors: string[]): Condition[] {
  if (!isPlainObject(raw)) {
    errors.push(
      `${path} must be an object mapping condition operators to {key: values}, got ${describe(raw)}`,
    );
    return [];
  }
  const operators = Object.keys(raw);
  if (operators.length === 0) errors.push(`${path} must not be empty (omit Condition instead)`);
  const conditions: Condition[] = [];
  for (const operator of operators) {
    if (!isConditionOperator(operator)) {
      errors.push(`${path}: ${unknownOperator(operator)}`);
      continue;
    }
    const block = raw[operator];
    const opPath = `${path}.${operator}`;
    if (!isPlainObject(block)) {
      errors.push(`${opPath} must be an object mapping condition keys to values, got ${describe(block)}`);
      continue;
    }
    const keys = Object.keys(block);
    if (keys.length === 0) errors.push(`${opPath} must name at least one condition key`);
    for (const key of keys) {
      const keyPath = `${opPath}[${JSON.stringify(key)}]`;
      if (!CONDITION_KEY.test(key)) {
        errors.push(
          `${keyPath}: condition key must be of the form "<service>:<KeyName>", e.g. "acs:SourceIp"`,
        );
        continue;
      }
      conditions.push({ operator, key, values: parseValues(operator, block[key], keyPath, errors) });
    }
  }
  return conditions;
}

/** A string or a non-empty array of strings, each checked by `check` (which returns a problem or
 * undefined): the `Action` and `Resource` of an identity policy, the `Principal` lists of a trust policy. */
export function stringList(
  raw: unknown,
  path: string,
  errors: string[],
  check: (value: string) => string | undefined,
): string[] {
  if (Array.isArray(raw) && raw.length === 0) {
    errors.push(`${path} must not be empty`);
    return [];
  }
  if (typeof raw !== 'string' && !Array.isArray(raw)) {
    errors.push(`${path} must be a string or an array of strings, got ${describe(raw)}`);
    return [];
  }
  const items: unknown[] = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  items.forEach((item, i) => {
    const where = Array.isArray(raw) ? `${path}[${i}]` : path;
    if (typeof item !== 'string') {
      errors.push(`${where} must be a string, got ${describe(item)}`);
      return;
    }
    const problem = check(item);
    if (problem !== undefined) errors.push(`${where}: ${JSON.stringify(item)} ${problem}`);
    out.push(item);
  });
  return out;
}
