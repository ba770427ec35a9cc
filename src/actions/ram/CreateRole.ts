import { q, roleName, sessionDuration, tag } from './params.js';
import { roleView } from './views.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 CreateRole: a role, who may assume it (its trust policy) and for how long. */
export default defineAction({
  name: 'CreateRole',
  summary: 'Creates a RAM role with its trust policy (AssumeRolePolicyDocument).',
  ramAction: 'ram:CreateRole',
  accessLevel: 'create',
  writes: true,
  qps: 100,
  params: [
    roleName,
    q(
      'AssumeRolePolicyDocument',
      'string',
      true,
      'The trust policy: who may assume the role (Principal RAM, Service or Federated); MalformedPolicyDocument lists every problem.',
      { maxLength: 4096 },
    ),
    q('Description', 'string', false, 'Up to 1024 characters.', { maxLength: 1024 }),
    q(
      'MaxSessionDuration',
      'integer',
      false,
      'Longest session of the role, 3600-43200 seconds (default 3600).',
      {
        maxLength: 8,
      },
    ),
    tag,
  ],
  limitations: ['Tags are accepted and not stored.'],
  toInput: (p) => ({
    name: p.RoleName!,
    trustPolicy: p.AssumeRolePolicyDocument!,
    description: p.Description,
    maxSessionDuration: sessionDuration(p.MaxSessionDuration),
  }),
  async handler(input, ctx) {
    const role = await ctx.services.roles.create(ctx.accountId, input);
    return { Role: roleView(role, { trustPolicy: true, updateDate: false }) };
  },
});
