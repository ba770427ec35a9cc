import { attachedPolicyView } from './views.js';
import { userName } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 ListPoliciesForUser. */
export default defineAction({
  name: 'ListPoliciesForUser',
  summary: 'Lists the policies attached to a RAM user.',
  ramAction: 'ram:ListPoliciesForUser',
  accessLevel: 'list',
  writes: false,
  qps: 100,
  params: [userName],
  limitations: [],
  toInput: (p) => ({ name: p.UserName! }),
  async handler(input, ctx) {
    const policies = await ctx.services.users.listPolicies(ctx.accountId, input.name);
    return { Policies: { Policy: policies.map((a) => attachedPolicyView(a)) } };
  },
});
