import { assumedRolePrincipalArn } from '../../iam/assumed-role.js';
import { parsePolicyDocument } from '../../iam/policy/index.js';
import { parseRoleArn } from '../../iam/role-service.js';
import { fail } from '../../errors/index.js';
import { defineAction, type ParamSpec } from '../spec.js';

/** `@alicloud/sts20150401` sends every AssumeRole parameter in the query; credentials' provider in the body. */
const q = (name: string, type: ParamSpec['type'], required: boolean, description: string): ParamSpec => ({
  name,
  type,
  required,
  location: 'query',
  description,
});

/** RoleSessionName: 2-64 of letters, digits, `.`, `@`, `-`, `_` (the STS SDK's AssumeRoleRequest). */
const SESSION_NAME = /^[\w.@-]{2,64}$/;
const MIN_DURATION = 900;
const DEFAULT_DURATION = 3600;
/** Policy: 1-2048 characters (the STS SDK's AssumeRoleRequest). */
const MAX_SESSION_POLICY = 2048;
/** ExternalId: 2-1224 of `[\w+=,.@:/-]` (the STS SDK's AssumeRoleRequest). */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

interface Input {
  roleArn: string;
  sessionName: string;
  durationSeconds: string | undefined;
  policy: string | undefined;
  externalId: string | undefined;
  sourceIdentity: string | undefined;
}

/** STS 2015-04-01 AssumeRole: temporary credentials of a RAM role, for a caller its trust policy lets in. */
export default defineAction<Input>({
  name: 'AssumeRole',
  summary: 'Issues temporary credentials (an STS AccessKey and SecurityToken) of a RAM role.',
  ramAction: 'sts:AssumeRole',
  accessLevel: 'create',
  writes: true,
  qps: 100,
  params: [
    q('RoleArn', 'string', true, 'The role to assume: `acs:ram::<account ID>:role/<role name>`.'),
    q(
      'RoleSessionName',
      'string',
      true,
      'Who uses the credentials: 2-64 of letters, digits, `.`, `@`, `-`, `_`. Part of the assumed-role ARN.',
    ),
    q(
      'DurationSeconds',
      'integer',
      false,
      "Validity in seconds, 900 to the role's MaxSessionDuration (default 3600).",
    ),
    q(
      'Policy',
      'string',
      false,
      "A session policy (up to 2048 characters): the credentials get the intersection of it and the role's policies.",
    ),
    q(
      'ExternalId',
      'string',
      false,
      "Checked by a trust policy's `sts:ExternalId` condition, if it has one.",
    ),
    q('SourceIdentity', 'string', false, 'Echoed in the answer; not otherwise used.'),
  ],
  limitations: [
    'An account\'s own AccessKey may not assume a role (NoPermission, "Roles may not be assumed by root accounts."), as Alibaba documents; use a RAM user.',
    'SourceIdentity is echoed and not recorded in the assumed-role identity.',
  ],
  toInput: (p) => ({
    roleArn: p.RoleArn!,
    sessionName: p.RoleSessionName!,
    durationSeconds: p.DurationSeconds,
    policy: p.Policy,
    externalId: p.ExternalId,
    sourceIdentity: p.SourceIdentity,
  }),
  async handler(input, ctx) {
    const { caller, services } = ctx;
    if (caller.user === undefined && caller.session === undefined) {
      throw fail('NoPermission', 'Roles may not be assumed by root accounts.');
    }
    // The parameters first, so bad input is refused whatever the role: nothing is issued.
    if (parseRoleArn(input.roleArn) === undefined) throw fail('InvalidParameter.RoleArn');
    if (!SESSION_NAME.test(input.sessionName)) throw fail('InvalidParameter.RoleSessionName');
    const duration = input.durationSeconds === undefined ? DEFAULT_DURATION : Number(input.durationSeconds);
    if (input.durationSeconds !== undefined && !/^\d{1,9}$/.test(input.durationSeconds)) {
      throw fail('InvalidParameter.DurationSeconds');
    }
    if (input.policy !== undefined) {
      const length = Array.from(input.policy).length;
      const parsed = parsePolicyDocument(input.policy);
      const problems =
        length > MAX_SESSION_POLICY
          ? [`the policy is ${length} characters long; at most ${MAX_SESSION_POLICY}`]
          : parsed.ok
            ? []
            : parsed.errors;
      if (problems.length > 0) {
        throw fail(
          'InvalidParameter.PolicyGrammar',
          `The parameter Policy has not passed grammar check: ${problems.join('; ')}.`,
        );
      }
    }
    if (input.externalId !== undefined && !EXTERNAL_ID.test(input.externalId)) {
      throw fail('InvalidParameter', 'Specified parameter ExternalId is not valid.');
    }
    const role = await services.roles.findByArn(input.roleArn);
    if (role === undefined) throw fail('EntityNotExist.Role', `The role does not exist: ${input.roleArn}.`);
    if (duration < MIN_DURATION || duration > role.maxSessionDuration) {
      throw fail(
        'InvalidParameter.DurationSeconds',
        `The Min/Max value of DurationSeconds is ${MIN_DURATION}/${role.maxSessionDuration} seconds (the role's MaxSessionDuration).`,
      );
    }
    const accountId = caller.account.id;
    const principal =
      caller.session !== undefined
        ? assumedRolePrincipalArn(accountId, caller.session)
        : `acs:ram::${accountId}:user/${caller.user!.name}`;
    const trust = services.roles.mayAssume(role, {
      principal: { kind: 'ram', accountId, arn: principal },
      context: {
        ...ctx.conditions,
        ...(input.externalId === undefined ? {} : { 'sts:ExternalId': input.externalId }),
      },
    });
    if (trust.decision !== 'Allow') {
      ctx.log.info({ decision: trust.decision, roleId: role.id }, 'trust policy denied AssumeRole');
      throw fail(
        'NoPermission',
        "No permission perform sts:AssumeRole on this Role. Maybe you should check the role's trust policy.",
      );
    }
    const issued = await services.sts.issue({
      accountId: role.accountId,
      role: { id: role.id, name: role.name, arn: input.roleArn },
      sessionName: input.sessionName,
      durationSeconds: duration,
      ...(input.policy === undefined ? {} : { policy: input.policy }),
    });
    return {
      ...(input.sourceIdentity === undefined ? {} : { SourceIdentity: input.sourceIdentity }),
      AssumedRoleUser: { Arn: issued.assumedRoleArn, AssumedRoleId: issued.assumedRoleId },
      Credentials: {
        AccessKeyId: issued.accessKeyId,
        AccessKeySecret: issued.accessKeySecret,
        SecurityToken: issued.securityToken,
        Expiration: issued.expiration,
      },
    };
  },
});
