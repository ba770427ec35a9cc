import { roleName } from './params.js';
import { attachedPolicyView } from './views.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 ListPoliciesForRole. */
export default defineAction({
  name: 'ListPoliciesForRole',
  summary: 'Lists the policies attached to a RAM role.',
  ramAction: 'ram:ListPoliciesForRole',
  accessLevel: 'list',
  writes: false,
  qps: 100,
  params: [roleName],
  limitations: [],
  toInput: (p) => ({ name: p.RoleName! }),
  async handler(input, ctx) {
    const policies = await ctx.services.roles.listPolicies(ctx.accountId, input.name);
    return { Policies: { Policy: policies.map((a) => attachedPolicyView({ ...a, defaultVersion: 'v1' })) } };
  },
});
