import { userName } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 DeleteUser. */
export default defineAction({
  name: 'DeleteUser',
  summary: 'Deletes a RAM user that has no access key and no policy.',
  ramAction: 'ram:DeleteUser',
  accessLevel: 'delete',
  writes: true,
  qps: 100,
  params: [userName],
  limitations: [],
  toInput: (p) => ({ name: p.UserName! }),
  async handler(input, ctx) {
    await ctx.services.users.delete(ctx.accountId, input.name);
    return {};
  },
});
