import { KEY_OWNER, q } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 UpdateAccessKey. */
export default defineAction({
  name: 'UpdateAccessKey',
  summary: 'Activates or deactivates an access key.',
  ramAction: 'ram:UpdateAccessKey',
  accessLevel: 'update',
  writes: true,
  qps: 100,
  params: [
    q('UserAccessKeyId', 'string', true, 'The access key.', { maxLength: 128 }),
    q('Status', 'string', true, '`Active` or `Inactive`.', { enum: ['Active', 'Inactive'] }),
    KEY_OWNER,
  ],
  limitations: [],
  toInput: (p) => ({
    userName: p.UserName,
    keyId: p.UserAccessKeyId!,
    status: p.Status as 'Active' | 'Inactive',
  }),
  async handler(input, ctx) {
    await ctx.services.users.updateAccessKey(
      ctx.accountId,
      input.userName ?? ctx.userName,
      input.keyId,
      input.status,
    );
    return {};
  },
});
