import { KEY_OWNER, q } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 DeleteAccessKey. */
export default defineAction({
  name: 'DeleteAccessKey',
  summary: 'Deletes an access key.',
  ramAction: 'ram:DeleteAccessKey',
  accessLevel: 'delete',
  writes: true,
  qps: 100,
  params: [q('UserAccessKeyId', 'string', true, 'The access key.', { maxLength: 128 }), KEY_OWNER],
  limitations: [],
  toInput: (p) => ({ userName: p.UserName, keyId: p.UserAccessKeyId! }),
  async handler(input, ctx) {
    await ctx.services.users.deleteAccessKey(ctx.accountId, input.userName ?? ctx.userName, input.keyId);
    return {};
  },
});
