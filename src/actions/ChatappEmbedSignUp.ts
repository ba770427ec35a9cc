import { DEFAULT_RESULTS } from './paging.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 ChatappEmbedSignUp (Embedded Signup v1; removed from the newest Go SDK). */
export default defineAction({
  name: 'ChatappEmbedSignUp',
  summary: 'Lists the WABAs available after Embedded Signup.',
  ramAction: 'cams:ChatappEmbedSignUp',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  params: [
    {
      name: 'InputToken',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 4096,
      description: 'The inputToken returned by the embedded flow.',
    },
  ],
  limitations: [
    "The InputToken is not exchanged with Meta: the answer lists the WABAs bound to the caller's spaces.",
    `Lists the WABAs of the caller's first ${DEFAULT_RESULTS} spaces (in order of creation), each read upstream; QueryChatappBindWaba with CustSpaceId reads any space's.`,
  ],
  toInput: (p) => ({ inputToken: p.InputToken ?? '' }),
  handler: async (_input, ctx) => {
    const wabas = await ctx.services.wabas.embedSignUp(ctx.accountId, DEFAULT_RESULTS);
    return {
      Wabas: wabas.map((w) => ({
        Id: w.id,
        Name: w.name,
        Currency: w.currency,
        AccountReviewStatus: w.accountReviewStatus,
        MessageTemplateNamespace: w.messageTemplateNamespace,
      })),
    };
  },
});
