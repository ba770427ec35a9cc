import { policyName, policyType, resourceGroupId, userName } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 DetachPolicyFromUser. */
export default defineAction({
  name: 'DetachPolicyFromUser',
  summary: 'Detaches a policy from a RAM user.',
  ramAction: 'ram:DetachPolicyFromUser',
  accessLevel: 'update',
  writes: true,
  qps: 100,
  params: [policyType, policyName, userName, resourceGroupId],
  limitations: ['ResourceGroupId is ignored: a policy applies to the whole account.'],
  toInput: (p) => ({ userName: p.UserName!, policyType: p.PolicyType!, policyName: p.PolicyName! }),
  async handler(input, ctx) {
    await ctx.services.users.detachPolicy(ctx.accountId, input.userName, input.policyType, input.policyName);
    return {};
  },
});
