import { custSpaceId } from './params.js';
import { DEFAULT_RESULTS, nextTokenField } from './paging.js';
import { defineAction } from './spec.js';
import { phoneNumberView } from './views.js';

/** cams-api.md §1.3 -> Meta `GET /{waba-id}/phone_numbers`; same answer as QueryChatappPhoneNumbers. */
export default defineAction({
  name: 'ChatappSyncPhoneNumber',
  summary: "Synchronizes the space's phone numbers with WhatsApp and lists them.",
  ramAction: 'cams:ChatappSyncPhoneNumber',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  successMessage: 'SUCCESS',
  params: [custSpaceId('query')],
  limitations: [
    'Numbers the WABA has upstream but this service does not are adopted; numbers gone upstream are marked DELETED.',
    `The whole space is synchronized, but the answer lists its first ${DEFAULT_RESULTS} numbers (in order of PhoneNumber); when more follow, it carries NextToken (not in Alibaba's model), which QueryChatappPhoneNumbers takes to list the next ones.`,
  ],
  toInput: (p) => ({ custSpaceId: p.CustSpaceId ?? '' }),
  handler: async (input, ctx) => {
    const page = await ctx.services.lifecycle.sync(ctx.accountId, input.custSpaceId, {
      limit: DEFAULT_RESULTS,
    });
    return { PhoneNumbers: page.numbers.map(phoneNumberView), ...nextTokenField(page) };
  },
});
