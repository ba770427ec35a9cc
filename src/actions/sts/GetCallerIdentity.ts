import { assumedRoleId, assumedRolePrincipalArn } from '../../iam/assumed-role.js';
import { defineAction } from '../spec.js';

/** STS 2015-04-01 GetCallerIdentity: who the credentials of the request are. */
export default defineAction<Record<string, never>>({
  name: 'GetCallerIdentity',
  summary: 'Answers the identity behind the credentials: the account, a RAM user or an assumed role.',
  ramAction: 'sts:GetCallerIdentity',
  accessLevel: 'get',
  // Alibaba: "No authorization for this operation": every identity may ask who it is.
  authorization: 'none',
  writes: false,
  qps: 100,
  params: [],
  limitations: [],
  toInput: () => ({}),
  async handler(_input, ctx) {
    const { account, user, session } = ctx.caller;
    if (session !== undefined) {
      return {
        IdentityType: 'AssumedRoleUser',
        AccountId: account.id,
        PrincipalId: assumedRoleId(session),
        RoleId: session.roleId,
        Arn: assumedRolePrincipalArn(account.id, session),
      };
    }
    if (user !== undefined) {
      return {
        IdentityType: 'RAMUser',
        AccountId: account.id,
        PrincipalId: user.id,
        UserId: user.id,
        Arn: `acs:ram::${account.id}:user/${user.name}`,
      };
    }
    return {
      IdentityType: 'Account',
      AccountId: account.id,
      PrincipalId: account.id,
      UserId: account.id,
      Arn: `acs:ram::${account.id}:root`,
    };
  },
});
