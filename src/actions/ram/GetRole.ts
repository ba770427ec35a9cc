import { roleName } from './params.js';
import { roleView } from './views.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 GetRole. */
export default defineAction({
  name: 'GetRole',
  summary: 'Gets a RAM role with its trust policy.',
  ramAction: 'ram:GetRole',
  accessLevel: 'get',
  writes: false,
  qps: 100,
  params: [roleName],
  limitations: [],
  toInput: (p) => ({ name: p.RoleName! }),
  async handler(input, ctx) {
    const role = await ctx.services.roles.get(ctx.accountId, input.name);
    return { Role: roleView(role, { trustPolicy: true, updateDate: true }) };
  },
});
