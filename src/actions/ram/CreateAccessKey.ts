import { ramDate } from './views.js';
import { KEY_OWNER } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 CreateAccessKey. */
export default defineAction({
  name: 'CreateAccessKey',
  summary: 'Creates an access key for a RAM user (at most two); the secret is answered only now.',
  ramAction: 'ram:CreateAccessKey',
  accessLevel: 'create',
  writes: true,
  qps: 100,
  params: [KEY_OWNER],
  limitations: [],
  toInput: (p) => ({ userName: p.UserName }),
  async handler(input, ctx) {
    const key = await ctx.services.users.createAccessKey(ctx.accountId, input.userName ?? ctx.userName);
    return {
      AccessKey: {
        AccessKeyId: key.accessKeyId,
        AccessKeySecret: key.accessKeySecret,
        Status: 'Active',
        CreateDate: ramDate(key.createdAt),
      },
    };
  },
});
