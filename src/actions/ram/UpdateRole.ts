import { q, roleName, sessionDuration } from './params.js';
import { roleView } from './views.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 UpdateRole: a new trust policy, session limit or description; the others kept. */
export default defineAction({
  name: 'UpdateRole',
  summary: "Changes a RAM role's trust policy, longest session or description.",
  ramAction: 'ram:UpdateRole',
  accessLevel: 'update',
  writes: true,
  qps: 100,
  params: [
    roleName,
    q('NewAssumeRolePolicyDocument', 'string', false, 'The new trust policy.', { maxLength: 4096 }),
    q('NewMaxSessionDuration', 'integer', false, 'The new longest session, 3600-43200 seconds.', {
      maxLength: 8,
    }),
    q('NewDescription', 'string', false, 'The new description, up to 1024 characters.', {
      maxLength: 1024,
      allowEmpty: true,
    }),
  ],
  limitations: [],
  toInput: (p) => ({
    name: p.RoleName!,
    change: {
      trustPolicy: p.NewAssumeRolePolicyDocument,
      maxSessionDuration: sessionDuration(p.NewMaxSessionDuration),
      description: p.NewDescription,
    },
  }),
  async handler(input, ctx) {
    const role = await ctx.services.roles.update(ctx.accountId, input.name, input.change);
    return { Role: roleView(role, { trustPolicy: true, updateDate: true }) };
  },
});
