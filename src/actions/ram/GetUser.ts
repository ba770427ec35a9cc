import { userView } from './views.js';
import { userName } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 GetUser. */
export default defineAction({
  name: 'GetUser',
  summary: 'Gets a RAM user.',
  ramAction: 'ram:GetUser',
  accessLevel: 'get',
  writes: false,
  qps: 100,
  params: [userName],
  limitations: ['LastLoginDate is always empty: RAM users do not log in to a console here.'],
  toInput: (p) => ({ name: p.UserName! }),
  async handler(input, ctx) {
    const user = await ctx.services.users.get(ctx.accountId, input.name);
    return { User: { ...userView(user, { updateDate: true }), LastLoginDate: '' } };
  },
});
