import { userView } from './views.js';
import { q, userName } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 UpdateUser. */
export default defineAction({
  name: 'UpdateUser',
  summary: "Changes a RAM user's name, display name, comments, email or mobile phone.",
  ramAction: 'ram:UpdateUser',
  accessLevel: 'update',
  writes: true,
  qps: 100,
  params: [
    userName,
    q('NewUserName', 'string', false, 'The new name.', { maxLength: 64 }),
    q('NewDisplayName', 'string', false, 'The new display name.', { maxLength: 128 }),
    q('NewComments', 'string', false, 'The new comments.', { maxLength: 128, allowEmpty: true }),
    q('NewEmail', 'string', false, 'The new email address.', { maxLength: 128, allowEmpty: true }),
    q('NewMobilePhone', 'string', false, 'The new mobile phone.', { maxLength: 32, allowEmpty: true }),
  ],
  limitations: [],
  toInput: (p) => ({
    name: p.UserName!,
    change: {
      name: p.NewUserName,
      displayName: p.NewDisplayName,
      comments: p.NewComments,
      email: p.NewEmail,
      mobilePhone: p.NewMobilePhone,
    },
  }),
  async handler(input, ctx) {
    const user = await ctx.services.users.update(ctx.accountId, input.name, input.change);
    return { User: userView(user, { updateDate: true }) };
  },
});
