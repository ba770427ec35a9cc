/**
 * The RAM API's own errors (version 2015-05-01), spelled as Alibaba's RAM spells them: a part of the
 * error catalogue (catalogue.ts spreads it in), kept apart so the RAM codes are read together.
 * Statuses follow RAM: 404 for an entity that does not exist, 409 for one that exists or is in use.
 */
export const RAM_CATALOGUE = {
  NoPermission: {
    status: 403,
    message: 'You are not authorized to do this action. You should be authorized by RAM.',
    source: 'ram',
    description:
      'RAM policies of the caller do not allow the RAM or STS action (ram:CreateUser, ...); AccessDeniedDetail says why. CAMS actions answer Ram.PermissionDeny instead.',
  },
  'EntityAlreadyExists.User': {
    status: 409,
    message: 'The user already exists.',
    source: 'ram',
    description: 'CreateUser, or UpdateUser with NewUserName, for a name the account already has.',
  },
  'EntityNotExist.User': {
    status: 404,
    message: 'The user does not exist.',
    source: 'ram',
    description: 'The account has no RAM user of that UserName.',
  },
  'EntityAlreadyExists.Role': {
    status: 409,
    message: 'The role already exists.',
    source: 'ram',
    description: 'CreateRole for a RoleName the account already has (names compare without case).',
  },
  'EntityNotExist.Role': {
    status: 404,
    message: 'The role does not exist.',
    source: 'ram',
    description: 'The account has no RAM role of that RoleName.',
  },
  'EntityAlreadyExists.Policy': {
    status: 409,
    message: 'The policy already exists.',
    source: 'ram',
    description: 'CreatePolicy for a PolicyName the account (or the system) already has.',
  },
  'EntityNotExist.Policy': {
    status: 404,
    message: 'The policy does not exist.',
    source: 'ram',
    description: 'No policy of that PolicyName and PolicyType.',
  },
  'EntityNotExist.Policy.Version': {
    status: 404,
    message: 'The policy version does not exist.',
    source: 'ram',
    description: 'The policy has no version of that VersionId.',
  },
  'EntityNotExist.User.AccessKey': {
    status: 404,
    message: 'The access key of the user does not exist.',
    source: 'ram',
    description: 'The user (or the account, without UserName) has no access key of that UserAccessKeyId.',
  },
  'EntityAlreadyExists.User.Policy': {
    status: 409,
    message: 'The policy has already been attached to the user.',
    source: 'ram',
    description: 'AttachPolicyToUser for a policy the user already has.',
  },
  'EntityAlreadyExists.Role.Policy': {
    status: 409,
    message: 'The policy has already been attached to the role.',
    source: 'ram',
    description: 'AttachPolicyToRole for a policy the role already has.',
  },
  'EntityNotExist.User.Policy': {
    status: 404,
    message: 'The policy is not attached to the user.',
    source: 'ram',
    description: 'DetachPolicyFromUser for a policy the user does not have.',
  },
  'EntityNotExist.Role.Policy': {
    status: 404,
    message: 'The policy is not attached to the role.',
    source: 'ram',
    description: 'DetachPolicyFromRole for a policy the role does not have.',
  },
  'DeleteConflict.User.Policy': {
    status: 409,
    message: 'You should detach all policies from the user before deleting it.',
    source: 'ram',
    description: 'DeleteUser while policies are attached to the user; nothing was deleted.',
  },
  'DeleteConflict.User.AccessKey': {
    status: 409,
    message: 'You should delete all access keys of the user before deleting it.',
    source: 'ram',
    description: 'DeleteUser while the user has access keys; nothing was deleted.',
  },
  'DeleteConflict.Role.Policy': {
    status: 409,
    message: 'You should detach all policies from the role before deleting it.',
    source: 'ram',
    description: 'DeleteRole while policies are attached to the role; nothing was deleted.',
  },
  'DeleteConflict.Policy.User': {
    status: 409,
    message: 'You should detach the policy from all users before deleting it.',
    source: 'ram',
    description: 'DeletePolicy while the policy is attached to a user; nothing was deleted.',
  },
  'DeleteConflict.Policy.Role': {
    status: 409,
    message: 'You should detach the policy from all roles before deleting it.',
    source: 'ram',
    description: 'DeletePolicy while the policy is attached to a role; nothing was deleted.',
  },
  'DeleteConflict.Policy.Version': {
    status: 409,
    message: 'You should delete all non-default versions of the policy before deleting it.',
    source: 'ram',
    description: 'DeletePolicy while the policy has versions besides its default; nothing was deleted.',
  },
  'LimitExceeded.User.AccessKey': {
    status: 409,
    message: 'The number of access keys of the user has reached the limit (2).',
    source: 'ram',
    description: 'CreateAccessKey for a user (or the account) that already has two access keys.',
  },
  'LimitExceeded.Policy.Version': {
    status: 409,
    message: 'The number of versions of the policy has reached the limit (5).',
    source: 'ram',
    description: 'CreatePolicyVersion for a policy that has five versions, without RotateStrategy.',
  },
  'InvalidParameter.UserName.InvalidChars': {
    status: 400,
    message: 'The parameter UserName contains invalid characters.',
    source: 'ram',
    description: 'A UserName other than 1-64 of letters, digits, `.`, `_`, `-` (and `@` after the first).',
  },
  'InvalidParameter.RoleName.InvalidChars': {
    status: 400,
    message: 'The parameter RoleName contains invalid characters.',
    source: 'ram',
    description: 'A RoleName other than 1-64 of letters, digits, `.` and `-`.',
  },
  'InvalidParameter.PolicyName.InvalidChars': {
    status: 400,
    message: 'The parameter PolicyName contains invalid characters.',
    source: 'ram',
    description: 'A PolicyName other than 1-128 of letters, digits and `-`.',
  },
  'InvalidParameter.PolicyType': {
    status: 400,
    message: 'The parameter PolicyType is invalid: expected System or Custom.',
    source: 'ram',
    description: 'PolicyType other than `System` or `Custom`.',
  },
  'InvalidParameter.PolicyDocument': {
    status: 400,
    message: 'The parameter PolicyDocument is invalid.',
    source: 'ram',
    description: 'A policy document longer than Alibaba allows (6144 characters).',
  },
  MalformedPolicyDocument: {
    status: 400,
    message: 'The policy document is malformed.',
    source: 'ram',
    description:
      'A policy or trust policy (AssumeRolePolicyDocument) that is not valid JSON or breaks the grammar; the message lists every problem. Nothing was created.',
  },
  'InvalidParameter.MaxSessionDuration': {
    status: 400,
    message: 'The parameter MaxSessionDuration is invalid: expected an integer from 3600 to 43200.',
    source: 'ram',
    description: 'MaxSessionDuration (or NewMaxSessionDuration) outside 3600..43200 seconds.',
  },
} as const;
