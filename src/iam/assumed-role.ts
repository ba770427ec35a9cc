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

/** AssumedRoleUser.Arn: `acs:ram::<uid>:assumed-role/<roleName>/<sessionName>`. */
export const assumedRoleArn = (accountId: string, role: { roleName: string; sessionName: string }): string =>
  `acs:ram::${accountId}:assumed-role/${role.roleName}/${role.sessionName}`;

/** AssumedRoleUser.AssumedRoleId: `<roleId>:<sessionName>`. */
export const assumedRoleId = (role: { roleId: string; sessionName: string }): string =>
  `${role.roleId}:${role.sessionName}`;
