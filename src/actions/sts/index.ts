import type { ActionSpec } from '../spec.js';
import AssumeRole from './AssumeRole.js';
import GetCallerIdentity from './GetCallerIdentity.js';

export const STS_API_VERSION = '2015-04-01';

/** Every action of STS 2015-04-01 the official SDK (`@alicloud/sts20150401`) calls. */
export const STS_DECLARED_ACTIONS: readonly string[] = [
  'AssumeRole',
  'AssumeRoleWithOIDC',
  'AssumeRoleWithSAML',
  'GetCallerIdentity',
];

/** Every implemented STS action, by its Action name (one file each in this folder, named like the Action). */
export const STS_ACTIONS: ReadonlyMap<string, ActionSpec<unknown>> = new Map(
  ([AssumeRole, GetCallerIdentity] as ActionSpec<unknown>[]).map((a) => [a.name, a]),
);
