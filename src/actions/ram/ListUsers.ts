import { userView } from './views.js';
import { integer, marker, maxItems } from './params.js';
import { defineAction } from '../spec.js';

/** RAM 2015-05-01 ListUsers. */
export default defineAction({
  name: 'ListUsers',
  summary: "Lists the account's RAM users, a page at a time.",
  ramAction: 'ram:ListUsers',
  accessLevel: 'list',
  writes: false,
  qps: 100,
  params: [marker, maxItems],
  limitations: [],
  toInput: (p) => ({ marker: p.Marker, maxItems: integer('MaxItems', p.MaxItems) }),
  async handler(input, ctx) {
    const page = await ctx.services.users.list(ctx.accountId, input);
    return {
      IsTruncated: page.isTruncated,
      ...(page.marker === undefined ? {} : { Marker: page.marker }),
      Users: { User: page.users.map((u) => userView(u, { updateDate: true })) },
    };
  },
});
