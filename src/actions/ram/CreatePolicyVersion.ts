import { versionView } from './views.js';
import { q } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 CreatePolicyVersion. */
export default defineAction({
  name: 'CreatePolicyVersion',
  summary: 'Adds a version to a custom policy (at most five), optionally as its default.',
  ramAction: 'ram:CreatePolicyVersion',
  accessLevel: 'update',
  writes: true,
  qps: 100,
  params: [
    q('PolicyName', 'string', true, 'The custom policy.', { maxLength: 128 }),
    q('PolicyDocument', 'string', true, "The new version's document.", { maxLength: 8192 }),
    q('SetAsDefault', 'boolean', false, 'Make it the default version (`true` or `false`).', {
      enum: ['true', 'false'],
    }),
    q('RotateStrategy', 'string', false, '`None` or `DeleteOldestNonDefaultVersionWhenLimitExceeded`.', {
      enum: ['None', 'DeleteOldestNonDefaultVersionWhenLimitExceeded'],
    }),
  ],
  limitations: [],
  toInput: (p) => ({
    name: p.PolicyName!,
    document: p.PolicyDocument!,
    setAsDefault: p.SetAsDefault === 'true',
    rotate: p.RotateStrategy === 'DeleteOldestNonDefaultVersionWhenLimitExceeded',
  }),
  async handler(input, ctx) {
    const version = await ctx.services.policies.createVersion(
      ctx.accountId,
      input.name,
      input.document,
      input,
    );
    return { PolicyVersion: versionView(version) };
  },
});
