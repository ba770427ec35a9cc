import { fail, invalidParameter } from '../../errors/index.js';
import type { ParamSpec } from '../spec.js';

/**
 * Parameter declarations of the RAM actions: `@alicloud/ram20150501` sends every parameter in the
 * query (its `*WithOptions` methods), so the location is always `query`.
 */
export const q = (
  name: string,
  type: ParamSpec['type'],
  required: boolean,
  description: string,
  extra: Partial<ParamSpec> = {},
): ParamSpec => ({ name, type, required, location: 'query', description, ...extra });

export const roleName = q(
  'RoleName',
  'string',
  true,
  'The name of the RAM role (1-64 letters, digits, `.`, `-`).',
  {
    maxLength: 64,
  },
);
export const userName = q('UserName', 'string', true, 'The name of the RAM user.', { maxLength: 64 });
export const policyType = q('PolicyType', 'string', true, '`System` or `Custom`.', { maxLength: 16 });
export const policyName = q('PolicyName', 'string', true, 'The name of the policy.', { maxLength: 128 });
export const resourceGroupId = q(
  'ResourceGroupId',
  'string',
  false,
  'Accepted and ignored: this service has no resource groups; a policy applies to the whole account.',
  { maxLength: 64 },
);
export const marker = q(
  'Marker',
  'string',
  false,
  'The Marker of the previous page, when IsTruncated was true.',
  {
    maxLength: 400,
  },
);
export const maxItems = q('MaxItems', 'integer', false, 'Entries per page, 1-1000 (default 100).', {
  maxLength: 8,
});
export const tag = q('Tag', 'json', false, 'Accepted and ignored: tags are not stored by this service.', {
  maxLength: 4096,
});

/** A decimal integer parameter; `undefined` when absent, InvalidParameter when not digits. */
export function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(value)) throw invalidParameter(name, `expected an integer, got "${value}".`);
  return Number(value);
}

/** A MaxSessionDuration parameter: an integer, or RAM's InvalidParameter.MaxSessionDuration. */
export function sessionDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw fail(
      'InvalidParameter.MaxSessionDuration',
      `The parameter MaxSessionDuration is invalid: expected an integer from 3600 to 43200, got "${value}".`,
    );
  }
  return Number(value);
}

/** The UserName of the access-key actions: whose keys; the caller's own when absent. */
export const KEY_OWNER = q(
  'UserName',
  'string',
  false,
  "The RAM user; the caller itself when absent (the account's own keys for a root key).",
  { maxLength: 64 },
);
