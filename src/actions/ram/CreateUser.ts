import { userView } from './views.js';
import { q, userName } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 CreateUser. */
export default defineAction({
  name: 'CreateUser',
  summary: 'Creates a RAM user (the same user `cams user create` makes).',
  ramAction: 'ram:CreateUser',
  accessLevel: 'create',
  writes: true,
  qps: 100,
  params: [
    userName,
    q('DisplayName', 'string', false, 'Display name, up to 128 characters (the UserName when absent).', {
      maxLength: 128,
    }),
    q('Comments', 'string', false, 'Up to 128 characters.', { maxLength: 128 }),
    q('Email', 'string', false, 'Email address.', { maxLength: 128 }),
    q('MobilePhone', 'string', false, 'Mobile phone, e.g. 86-18600008888.', { maxLength: 32 }),
  ],
  limitations: [],
  toInput: (p) => ({
    name: p.UserName!,
    displayName: p.DisplayName,
    comments: p.Comments,
    email: p.Email,
    mobilePhone: p.MobilePhone,
  }),
  async handler(input, ctx) {
    const user = await ctx.services.users.create(ctx.accountId, input);
    return { User: userView(user, { updateDate: false }) };
  },
});
