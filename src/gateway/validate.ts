import type { WireParams } from '../actions/spec.js';
import { checkParam } from '../actions/param-check.js';
import type { RequestContext } from './context.js';
import { invalidParameter, missingParameter } from '../errors/index.js';

/**
 * validate: the action's declared parameters (required, text XML can carry, length, enum; the rule is
 * `checkParam`, which the explorer also runs in the browser); undeclared ones are ignored. Unacceptable
 * text is refused before anything else looks at the value, so it is never stored nor echoed in a later
 * message.
 */
export function validate(ctx: RequestContext): void {
  const input: Record<string, string | undefined> = {};
  for (const spec of ctx.action!.params) {
    const verdict = checkParam(spec, ctx.params.get(spec.name));
    if (verdict.kind === 'missing') throw missingParameter(spec.name);
    if (verdict.kind === 'invalid') throw invalidParameter(spec.name, verdict.expected);
    if (verdict.kind === 'value') input[spec.name] = verdict.value;
  }
  ctx.input = Object.freeze(input) as WireParams;
}
