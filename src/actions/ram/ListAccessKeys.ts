import { ramDate } from './views.js';
import { KEY_OWNER } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 ListAccessKeys. */
export default defineAction({
  name: 'ListAccessKeys',
  summary: "Lists a RAM user's access keys (never their secrets).",
  ramAction: 'ram:ListAccessKeys',
  accessLevel: 'list',
  writes: false,
  qps: 100,
  params: [KEY_OWNER],
  limitations: [],
  toInput: (p) => ({ userName: p.UserName }),
  async handler(input, ctx) {
    const keys = await ctx.services.users.listAccessKeys(ctx.accountId, input.userName ?? ctx.userName);
    return {
      AccessKeys: {
        AccessKey: keys.map((k) => ({
          AccessKeyId: k.id,
          Status: k.status,
          CreateDate: ramDate(k.createdAt),
        })),
      },
    };
  },
});
