import { custSpaceId } from './params.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 -> Meta `GET /{waba-id}`. */
export default defineAction({
  name: 'QueryChatappBindWaba',
  summary: 'Gets the WhatsApp Business Account bound to a customer space.',
  ramAction: 'cams:QueryChatappBindWaba',
  accessLevel: 'get',
  writes: false,
  qps: 10,
  params: [
    custSpaceId('query', false),
    {
      name: 'IsvCode',
      type: 'string',
      required: false,
      location: 'query',
      maxLength: 128,
      description: 'ISV verification code. Accepted and not checked.',
    },
  ],
  limitations: ['IsvCode is accepted and not checked.'],
  toInput: (p) => ({ custSpaceId: p.CustSpaceId }),
  handler: async (input, ctx) => {
    const w = await ctx.services.wabas.query(ctx.accountId, input.custSpaceId);
    return {
      Data: {
        Id: w.id,
        Name: w.name,
        Currency: w.currency,
        AccountReviewStatus: w.accountReviewStatus,
        MessageTemplateNamespace: w.messageTemplateNamespace,
        BusinessId: w.businessId,
        BusinessName: w.businessName,
      },
    };
  },
});
