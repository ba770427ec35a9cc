import { q } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 SetDefaultPolicyVersion. */
export default defineAction({
  name: 'SetDefaultPolicyVersion',
  summary: 'Makes a version the default of a custom policy.',
  ramAction: 'ram:SetDefaultPolicyVersion',
  accessLevel: 'update',
  writes: true,
  qps: 100,
  params: [
    q('PolicyName', 'string', true, 'The custom policy.', { maxLength: 128 }),
    q('VersionId', 'string', true, 'The version, e.g. `v2`.', { maxLength: 16 }),
  ],
  limitations: [],
  toInput: (p) => ({ name: p.PolicyName!, versionId: p.VersionId! }),
  async handler(input, ctx) {
    await ctx.services.policies.setDefaultVersion(ctx.accountId, input.name, input.versionId);
    return {};
  },
});
