import { unacceptableText } from '../domain/text.js';

/** What of a parameter's declaration (spec.ts `ParamSpec`) decides whether a value is accepted. */
export interface ParamRule {
  readonly name: string;
  readonly required: boolean;
  readonly maxLength?: number;
  readonly enum?: readonly string[];
  readonly allowEmpty?: boolean;
}

/**
 * The verdict on one wire value: `absent` (not sent, and not required), `missing` (required and not
 * sent: `Missing{Name}`), `invalid` with what was expected (the end of the InvalidParameter message), or
 * the accepted `value`.
 */
export type ParamVerdict =
  | { readonly kind: 'absent' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly expected: string }
  | { readonly kind: 'value'; readonly value: string };

/**
 * The gateway's one rule for a declared parameter (architecture.md, "One request, top to bottom",
 * step validate): an empty value is absent unless the spec allows it, required values must be present,
 * text must be what XML can carry, then the length and enum limits. Pure, so the explorer's forms
 * (web/explorer/) run this same function in the browser before sending.
 */
export function checkParam(rule: ParamRule, value: string | undefined): ParamVerdict {
  if (value === '' && rule.allowEmpty && !rule.required) return { kind: 'value', value: '' };
  if (value === undefined || value === '') return rule.required ? { kind: 'missing' } : { kind: 'absent' };
  const refused = unacceptableText(value);
  if (refused !== undefined) return { kind: 'invalid', expected: refused };
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    return {
      kind: 'invalid',
      expected: `expected at most ${rule.maxLength} characters, got ${value.length}.`,
    };
  }
  if (rule.enum !== undefined && !rule.enum.includes(value)) {
    return { kind: 'invalid', expected: `expected one of ${rule.enum.join(', ')}, got "${value}".` };
  }
  return { kind: 'value', value };
}
