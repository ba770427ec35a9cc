import { policyName, policyType, resourceGroupId, userName } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 AttachPolicyToUser. */
export default defineAction({
  name: 'AttachPolicyToUser',
  summary: 'Attaches a system or custom policy to a RAM user.',
  ramAction: 'ram:AttachPolicyToUser',
  accessLevel: 'update',
  writes: true,
  qps: 100,
  params: [policyType, policyName, userName, resourceGroupId],
  limitations: ['ResourceGroupId is ignored: a policy applies to the whole account.'],
  toInput: (p) => ({ userName: p.UserName!, policyType: p.PolicyType!, policyName: p.PolicyName! }),
  async handler(input, ctx) {
    await ctx.services.users.attachPolicy(ctx.accountId, input.userName, input.policyType, input.policyName);
    return {};
  },
});
