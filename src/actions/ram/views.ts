import { roleArn, type RamRole, type RoleAttachment } from '../../iam/role-service.js';

/** A role as the RAM SDK's `...ResponseBodyRole` models declare it (GetRole, CreateRole, UpdateRole). */
export function roleView(role: RamRole, opts: { trustPolicy: boolean; updateDate: boolean }) {
  return {
    RoleId: role.id,
    RoleName: role.name,
    Arn: roleArn(role),
    Description: role.description,
    ...(opts.trustPolicy ? { AssumeRolePolicyDocument: role.trustPolicy } : {}),
    MaxSessionDuration: role.maxSessionDuration,
    CreateDate: role.createdAt,
    ...(opts.updateDate ? { UpdateDate: role.updatedAt } : {}),
  };
}

/** An attached policy (ListPoliciesForRole, ListPoliciesForUser): `...ResponseBodyPoliciesPolicy`. */
export function attachedPolicyView(
  a: Pick<RoleAttachment, 'policyType' | 'policyName' | 'attachedAt'> & {
    description: string;
    defaultVersion: string;
  },
) {
  return {
    PolicyName: a.policyName,
    PolicyType: a.policyType,
    Description: a.description,
    DefaultVersion: a.defaultVersion,
    AttachDate: a.attachedAt,
  };
}
