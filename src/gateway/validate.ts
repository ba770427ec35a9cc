import type { WireParams } from '../actions/spec.js';
import type { RequestContext } from './context.js';
import { invalidParameter, missingParameter } from '../errors/index.js';
import { unacceptableText } from '../domain/text.js';

/**
 * validate: the action's declared parameters (required, text XML can carry, length, enum); undeclared
 * ones are ignored. Unacceptable text is refused before anything else looks at the value, so it is
 * never stored nor echoed in a later message.
 */
export function validate(ctx: RequestContext): void {
  const input: Record<string, string | undefined> = {};
  for (const spec of ctx.action!.params) {
    const value = ctx.params.get(spec.name);
    if (value === '' && spec.allowEmpty && !spec.required) {
      input[spec.name] = '';
      continue;
    }
    if (value === undefined || value === '') {
      if (spec.required) throw missingParameter(spec.name);
      continue;
    }
    const refused = unacceptableText(value);
    if (refused !== undefined) throw invalidParameter(spec.name, refused);
    if (spec.maxLength !== undefined && value.length > spec.maxLength) {
      throw invalidParameter(
        spec.name,
        `expected at most ${spec.maxLength} characters, got ${value.length}.`,
      );
    }
    if (spec.enum !== undefined && !spec.enum.includes(value)) {
      throw invalidParameter(spec.name, `expected one of ${spec.enum.join(', ')}, got "${value}".`);
    }
    input[spec.name] = value;
  }
  ctx.input = Object.freeze(input) as WireParams;
}
