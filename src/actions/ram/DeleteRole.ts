import { roleName } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 DeleteRole: refused with DeleteConflict.Role.Policy while policies are attached. */
export default defineAction({
  name: 'DeleteRole',
  summary: 'Deletes a RAM role that has no policy attached.',
  ramAction: 'ram:DeleteRole',
  accessLevel: 'delete',
  writes: true,
  qps: 100,
  params: [roleName],
  limitations: [],
  toInput: (p) => ({ name: p.RoleName! }),
  async handler(input, ctx) {
    await ctx.services.roles.delete(ctx.accountId, input.name);
    return {};
  },
});
