import { integer, marker, maxItems, tag } from './params.js';
import { roleView } from './views.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 ListRoles: in name order, paged with Marker / IsTruncated / MaxItems. */
export default defineAction({
  name: 'ListRoles',
  summary: "Lists the account's RAM roles, a page at a time.",
  ramAction: 'ram:ListRoles',
  accessLevel: 'list',
  writes: false,
  qps: 100,
  params: [marker, maxItems, tag],
  limitations: ['Tag filters are accepted and ignored (tags are not stored); every role has an empty Tags.'],
  toInput: (p) => ({ marker: p.Marker, maxItems: integer('MaxItems', p.MaxItems) }),
  async handler(input, ctx) {
    const page = await ctx.services.roles.list(ctx.accountId, input);
    return {
      IsTruncated: page.isTruncated,
      ...(page.marker === undefined ? {} : { Marker: page.marker }),
      Roles: {
        Role: page.roles.map((r) => ({
          ...roleView(r, { trustPolicy: false, updateDate: true }),
          Tags: { Tag: [] },
        })),
      },
    };
  },
});
