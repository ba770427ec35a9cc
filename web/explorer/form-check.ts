import { checkParam } from '../../src/actions/param-check.js';
import type { CatalogueParam } from './catalogue.js';

/**
 * The gateway's own parameter rule (src/actions/param-check.ts, the function the gateway's validate
 * step runs) applied to the form before anything is sent, with the gateway's wording: what the server
 * would answer, said before asking it. Returns the message per parameter name that would be refused.
 */
export function formErrors(
  params: readonly CatalogueParam[],
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of params) {
    const verdict = checkParam(p, values[p.name] ?? '');
    if (verdict.kind === 'missing') errors[p.name] = `${p.name} is mandatory for this action.`;
    if (verdict.kind === 'invalid') {
      errors[p.name] = `Specified parameter ${p.name} is not valid: ${verdict.expected}`;
    }
  }
  return errors;
}

/**
 * The values to send: a filled field, or an empty one the user chose to send empty where the spec
 * says an empty value means something (`allowEmpty`: an empty callback URL clears it).
 */
export function sentValues(
  params: readonly CatalogueParam[],
  values: Readonly<Record<string, string>>,
  sendEmpty: ReadonlySet<string> = new Set(),
): Array<[CatalogueParam, string]> {
  return params.flatMap((p): Array<[CatalogueParam, string]> => {
    const value = values[p.name] ?? '';
    if (value !== '') return [[p, value]];
    return p.allowEmpty && sendEmpty.has(p.name) ? [[p, '']] : [];
  });
}
