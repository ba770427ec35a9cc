import CreateUser from './CreateUser.js';
import GetUser from './GetUser.js';
import ListUsers from './ListUsers.js';
import UpdateUser from './UpdateUser.js';
import DeleteUser from './DeleteUser.js';
import CreateAccessKey from './CreateAccessKey.js';
import ListAccessKeys from './ListAccessKeys.js';
import UpdateAccessKey from './UpdateAccessKey.js';
import DeleteAccessKey from './DeleteAccessKey.js';
import AttachPolicyToUser from './AttachPolicyToUser.js';
import DetachPolicyFromUser from './DetachPolicyFromUser.js';
import ListPoliciesForUser from './ListPoliciesForUser.js';
import CreatePolicy from './CreatePolicy.js';
import GetPolicy from './GetPolicy.js';
import ListPolicies from './ListPolicies.js';
import CreatePolicyVersion from './CreatePolicyVersion.js';
import SetDefaultPolicyVersion from './SetDefaultPolicyVersion.js';
import DeletePolicy from './DeletePolicy.js';
import ListEntitiesForPolicy from './ListEntitiesForPolicy.js';
import CreateRole from './CreateRole.js';
import GetRole from './GetRole.js';
import ListRoles from './ListRoles.js';
import UpdateRole from './UpdateRole.js';
import DeleteRole from './DeleteRole.js';
import AttachPolicyToRole from './AttachPolicyToRole.js';
import DetachPolicyFromRole from './DetachPolicyFromRole.js';
import ListPoliciesForRole from './ListPoliciesForRole.js';
import type { ActionSpec } from '../spec.js';

export const RAM_API_VERSION = '2015-05-01';

/** Every action of RAM 2015-05-01 the official SDK (`@alicloud/ram20150501` 1.2.1) calls. */
export const RAM_DECLARED_ACTIONS: readonly string[] = [
  'AddUserToGroup',
  'AttachPolicyToGroup',
  'AttachPolicyToRole',
  'AttachPolicyToUser',
  'BindMFADevice',
  'ChangePassword',
  'ClearAccountAlias',
  'CreateAccessKey',
  'CreateGroup',
  'CreateLoginProfile',
  'CreatePolicy',
  'CreatePolicyVersion',
  'CreateRole',
  'CreateUser',
  'CreateVirtualMFADevice',
  'DecodeDiagnosticMessage',
  'DeleteAccessKey',
  'DeleteGroup',
  'DeleteLoginProfile',
  'DeletePolicy',
  'DeletePolicyVersion',
  'DeleteRole',
  'DeleteUser',
  'DeleteVirtualMFADevice',
  'DetachPolicyFromGroup',
  'DetachPolicyFromRole',
  'DetachPolicyFromUser',
  'GetAccessKeyLastUsed',
  'GetAccountAlias',
  'GetGroup',
  'GetLoginProfile',
  'GetPasswordPolicy',
  'GetPolicy',
  'GetPolicyVersion',
  'GetRole',
  'GetSecurityPreference',
  'GetUser',
  'GetUserMFAInfo',
  'ListAccessKeys',
  'ListEntitiesForPolicy',
  'ListGroups',
  'ListGroupsForUser',
  'ListPolicies',
  'ListPoliciesForGroup',
  'ListPoliciesForRole',
  'ListPoliciesForUser',
  'ListPolicyVersions',
  'ListRoles',
  'ListTagResources',
  'ListUsers',
  'ListUsersForGroup',
  'ListVirtualMFADevices',
  'RemoveUserFromGroup',
  'SetAccountAlias',
  'SetDefaultPolicyVersion',
  'SetPasswordPolicy',
  'SetSecurityPreference',
  'TagResources',
  'UnbindMFADevice',
  'UntagResources',
  'UpdateAccessKey',
  'UpdateGroup',
  'UpdateLoginProfile',
  'UpdatePolicyDescription',
  'UpdateRole',
  'UpdateUser',
];

/** Every implemented RAM action, by its Action name (one file each in this folder, named like the Action). */
export const RAM_ACTIONS: ReadonlyMap<string, ActionSpec<unknown>> = new Map(
  [
    CreateRole,
    GetRole,
    ListRoles,
    UpdateRole,
    DeleteRole,
    AttachPolicyToRole,
    DetachPolicyFromRole,
    ListPoliciesForRole,
    CreateUser,
    GetUser,
    ListUsers,
    UpdateUser,
    DeleteUser,
    CreateAccessKey,
    ListAccessKeys,
    UpdateAccessKey,
    DeleteAccessKey,
    AttachPolicyToUser,
    DetachPolicyFromUser,
    ListPoliciesForUser,
    CreatePolicy,
    GetPolicy,
    ListPolicies,
    CreatePolicyVersion,
    SetDefaultPolicyVersion,
    DeletePolicy,
    ListEntitiesForPolicy,
  ].map((a) => [a.name, a as ActionSpec<unknown>]),
);
