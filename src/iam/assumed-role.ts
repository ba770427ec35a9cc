import type { Policy } from './policy/index.js';

/** The role a temporary credential was issued for: who the caller is while it lasts. */
export interface AssumedRole {
  roleId: string;
  roleName: string;
  /** `acs:ram::<uid>:role/<name>` as given to AssumeRole. */
  roleArn: string;
  sessionName: string;
  /** The session policy, parsed; undefined: none given (the role's policies alone apply). */
  sessionPolicy: Policy | undefined;
  /** ISO 8601. */
  expiresAt: string;
}

/**
 * AssumeRole's AssumedRoleUser.Arn: `acs:ram::<uid>:role/<role name, lower case>/<session>`, as the
 * STS SDK's model documents it (`acs:ram::123456789012****:role/adminrole/alice`); RAM writes role
 * names in ARNs in lower case.
 */
export const assumedRoleArn = (accountId: string, role: { roleName: string; sessionName: string }): string =>
  `acs:ram::${accountId}:role/${role.roleName.toLowerCase()}/${role.sessionName}`;

/**
 * The assumed role as a principal (GetCallerIdentity's Arn, a trust policy's view of the caller):
 * `acs:ram::<uid>:assumed-role/<role name, lower case>/<session>`.
 */
export const assumedRolePrincipalArn = (
  accountId: string,
  role: { roleName: string; sessionName: string },
): string => `acs:ram::${accountId}:assumed-role/${role.roleName.toLowerCase()}/${role.sessionName}`;

/** AssumedRoleUser.AssumedRoleId and GetCallerIdentity's PrincipalId: `<roleId>:<sessionName>`. */
export const assumedRoleId = (role: { roleId: string; sessionName: string }): string =>
  `${role.roleId}:${role.sessionName}`;
