import type { PolicyView, VersionView } from '../../iam/ram-policy-service.js';
import type { RamUser } from '../../iam/user-service.js';
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
    CreateDate: ramDate(role.createdAt),
    ...(opts.updateDate ? { UpdateDate: ramDate(role.updatedAt) } : {}),
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
    AttachDate: ramDate(a.attachedAt),
  };
}

/** A RAM user as the SDK's `...ResponseBodyUser` models declare it. */
export function userView(user: RamUser, opts: { updateDate: boolean }) {
  return {
    UserId: user.id,
    UserName: user.name,
    DisplayName: user.displayName,
    Comments: user.comments,
    Email: user.email,
    MobilePhone: user.mobilePhone,
    CreateDate: ramDate(user.createdAt),
    ...(opts.updateDate ? { UpdateDate: ramDate(user.updatedAt) } : {}),
  };
}

/** A policy as GetPolicy's and ListPolicies' `...ResponseBodyPolicy` models declare it. */
export function policyView(p: PolicyView) {
  return {
    PolicyName: p.policyName,
    PolicyType: p.policyType,
    Description: p.description,
    DefaultVersion: p.defaultVersion,
    CreateDate: ramDate(p.createdAt),
    UpdateDate: ramDate(p.updatedAt),
    AttachmentCount: p.attachmentCount,
  };
}

/** A policy version (`...PolicyVersion`, GetPolicy's DefaultPolicyVersion). */
export function versionView(v: VersionView) {
  return {
    VersionId: v.versionId,
    IsDefaultVersion: v.isDefault,
    PolicyDocument: v.document,
    CreateDate: ramDate(v.createdAt),
  };
}

/** RAM's date form: ISO 8601 in UTC, to the second (`2015-01-23T12:33:18Z`). */
export const ramDate = (iso: string): string => iso.replace(/\.\d{3}Z$/, 'Z');
