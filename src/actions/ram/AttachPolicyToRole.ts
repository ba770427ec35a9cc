import { policyName, policyType, resourceGroupId, roleName } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 AttachPolicyToRole: what sessions of the role may do. */
export default defineAction({
  name: 'AttachPolicyToRole',
  summary: 'Attaches a system or custom policy to a RAM role.',
  ramAction: 'ram:AttachPolicyToRole',
  accessLevel: 'update',
  writes: true,
  qps: 100,
  params: [policyType, policyName, roleName, resourceGroupId],
  limitations: ['ResourceGroupId is ignored: a policy applies to the whole account.'],
  toInput: (p) => ({ roleName: p.RoleName!, policyType: p.PolicyType!, policyName: p.PolicyName! }),
  async handler(input, ctx) {
    await ctx.services.roles.attachPolicy(ctx.accountId, input.roleName, input.policyType, input.policyName);
    return {};
  },
});
