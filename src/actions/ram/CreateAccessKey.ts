import { ramDate } from './views.js';
import { q } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 CreateAccessKey. */
export default defineAction({
  name: 'CreateAccessKey',
  summary: 'Creates an access key for a RAM user (at most two); the secret is answered only now.',
  ramAction: 'ram:CreateAccessKey',
  accessLevel: 'create',
  writes: true,
  qps: 100,
  params: [
    q(
      'UserName',
      'string',
      false,
      "The RAM user; the caller itself when absent (the account's own keys for a root key).",
      { maxLength: 64 },
    ),
  ],
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
