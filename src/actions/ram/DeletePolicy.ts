import { q } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 DeletePolicy. */
export default defineAction({
  name: 'DeletePolicy',
  summary: 'Deletes a custom policy that is attached nowhere and has only its default version.',
  ramAction: 'ram:DeletePolicy',
  accessLevel: 'delete',
  writes: true,
  qps: 100,
  params: [
    q('PolicyName', 'string', true, 'The custom policy.', { maxLength: 128 }),
    q('CascadingDelete', 'boolean', false, 'Only `false` is supported here.', { enum: ['false'] }),
  ],
  limitations: ['CascadingDelete=true is refused: detach the policy and delete its other versions first.'],
  toInput: (p) => ({ name: p.PolicyName! }),
  async handler(input, ctx) {
    await ctx.services.policies.delete(ctx.accountId, input.name);
    return {};
  },
});
