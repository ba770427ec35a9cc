import { nextTokenField, pageInput, PAGING_LIMITATION, PAGING_PARAMS } from './paging.js';
import { defineAction } from './spec.js';
import { phoneNumberView } from './views.js';

/** cams-api.md §1.3 (QueryChatappPhoneNumbers) and cams-api.md §1.4 (enumerations). */
export default defineAction({
  name: 'QueryChatappPhoneNumbers',
  summary: 'Lists the phone numbers of a customer space and their status.',
  ramAction: 'cams:QueryChatappPhoneNumbers',
  accessLevel: 'list',
  writes: false,
  qps: 10,
  successMessage: 'SUCCESS',
  params: [
    {
      name: 'IsvCode',
      type: 'string',
      required: false,
      location: 'query',
      maxLength: 128,
      description: 'ISV verification code. Accepted and not checked.',
    },
    {
      name: 'CustSpaceId',
      type: 'string',
      required: false,
      location: 'query',
      maxLength: 64,
      description: 'Space ID of the ISV sub-customer; all spaces of the account when absent.',
    },
    {
      name: 'Status',
      type: 'string',
      required: false,
      location: 'query',
      maxLength: 32,
      description: 'Only numbers with this Status (e.g. PENDING, CONNECTED).',
    },
    ...PAGING_PARAMS,
  ],
  limitations: [
    'IsvCode is accepted and not checked.',
    'Without CustSpaceId the numbers of every space of the calling account are listed.',
    'Status filters on the Status field.',
    PAGING_LIMITATION,
    "A number whose NameStatus is Rejected also carries NameRejectionReason, Meta's reason (e.g. NAME_FORMAT_UNACCEPTABLE), when known; the SDK ignores the field.",
  ],
  toInput: (p) => ({ custSpaceId: p.CustSpaceId, page: { ...pageInput(p), status: p.Status } }),
  handler: async (input, ctx) => {
    const page = await ctx.services.phoneNumbers.listPage(ctx.accountId, input.custSpaceId, input.page);
    return { PhoneNumbers: page.numbers.map(phoneNumberView), ...nextTokenField(page) };
  },
});
