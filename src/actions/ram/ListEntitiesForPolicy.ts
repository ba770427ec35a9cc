import { ramDate } from './views.js';
import { roleArn } from '../../iam/role-service.js';
import { policyName, policyType } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 ListEntitiesForPolicy. */
export default defineAction({
  name: 'ListEntitiesForPolicy',
  summary: 'Lists the users and roles a policy is attached to.',
  ramAction: 'ram:ListEntitiesForPolicy',
  accessLevel: 'list',
  writes: false,
  qps: 100,
  params: [policyName, policyType],
  limitations: ['Groups is always empty: this service has no user groups.'],
  toInput: (p) => ({ name: p.PolicyName!, type: p.PolicyType! }),
  async handler(input, ctx) {
    const { users, roles } = await ctx.services.policies.entities(ctx.accountId, input.type, input.name);
    return {
      Users: {
        User: users.map(({ user, attachedAt }) => ({
          UserId: user.id,
          UserName: user.name,
          DisplayName: user.displayName,
          AttachDate: ramDate(attachedAt),
        })),
      },
      Roles: {
        Role: roles.map(({ role, attachedAt }) => ({
          RoleId: role.id,
          RoleName: role.name,
          Arn: roleArn(role),
          Description: role.description,
          AttachDate: ramDate(attachedAt),
        })),
      },
      Groups: { Group: [] },
    };
  },
});
