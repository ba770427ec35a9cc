import { ramDate } from './views.js';
import { q, tag } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 CreatePolicy. */
export default defineAction({
  name: 'CreatePolicy',
  summary: 'Creates a custom policy (its document is version v1, the default).',
  ramAction: 'ram:CreatePolicy',
  accessLevel: 'create',
  writes: true,
  qps: 100,
  params: [
    q('PolicyName', 'string', true, '1-128 letters, digits and `-`.', { maxLength: 128 }),
    q('PolicyDocument', 'string', true, 'The policy document; MalformedPolicyDocument lists every problem.', {
      maxLength: 8192,
    }),
    q('Description', 'string', false, 'Up to 1024 characters.', { maxLength: 1024 }),
    tag,
  ],
  limitations: ['Tags are accepted and not stored.'],
  toInput: (p) => ({ name: p.PolicyName!, document: p.PolicyDocument!, description: p.Description }),
  async handler(input, ctx) {
    const policy = await ctx.services.policies.create(
      ctx.accountId,
      input.name,
      input.document,
      input.description,
    );
    return {
      Policy: {
        PolicyName: policy.policyName,
        PolicyType: policy.policyType,
        Description: policy.description,
        DefaultVersion: policy.defaultVersion,
        CreateDate: ramDate(policy.createdAt),
      },
    };
  },
});
