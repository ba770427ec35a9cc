import { policyView, versionView } from './views.js';
import { policyName, policyType } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 GetPolicy. */
export default defineAction({
  name: 'GetPolicy',
  summary: 'Gets a system or custom policy with its default version.',
  ramAction: 'ram:GetPolicy',
  accessLevel: 'get',
  writes: false,
  qps: 100,
  params: [policyName, policyType],
  limitations: [],
  toInput: (p) => ({ name: p.PolicyName!, type: p.PolicyType! }),
  async handler(input, ctx) {
    const policy = await ctx.services.policies.get(ctx.accountId, input.type, input.name);
    const version = await ctx.services.policies.defaultVersion(ctx.accountId, policy);
    return {
      Policy: { ...policyView(policy), PolicyDocument: policy.document },
      DefaultPolicyVersion: versionView(version),
    };
  },
});
