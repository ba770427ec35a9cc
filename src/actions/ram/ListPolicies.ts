import { policyView } from './views.js';
import { integer, marker, maxItems, q, tag } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 ListPolicies. */
export default defineAction({
  name: 'ListPolicies',
  summary: 'Lists system and custom policies, a page at a time.',
  ramAction: 'ram:ListPolicies',
  accessLevel: 'list',
  writes: false,
  qps: 100,
  params: [
    q('PolicyType', 'string', false, '`System` or `Custom`; both when absent.', { maxLength: 16 }),
    marker,
    maxItems,
    tag,
  ],
  limitations: ['Tag filters are accepted and ignored (tags are not stored).'],
  toInput: (p) => ({ type: p.PolicyType, marker: p.Marker, maxItems: integer('MaxItems', p.MaxItems) }),
  async handler(input, ctx) {
    const page = await ctx.services.policies.list(ctx.accountId, input.type, input);
    return {
      IsTruncated: page.isTruncated,
      ...(page.marker === undefined ? {} : { Marker: page.marker }),
      Policies: { Policy: page.policies.map((p) => ({ ...policyView(p), Tags: { Tag: [] } })) },
    };
  },
});
