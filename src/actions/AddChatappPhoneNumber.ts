import { normalizePhoneNumber } from '../domain/phone-number.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 AddChatappPhoneNumber, the founding action of this service. */
export default defineAction({
  name: 'AddChatappPhoneNumber',
  summary: 'Adds a phone number to the WhatsApp Business Account of an ISV sub-customer space.',
  ramAction: 'cams:AddChatappPhoneNumber',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  params: [
    {
      name: 'PhoneNumber',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 32,
      description: 'The phone number, without the country code. Example: 13800138000.',
    },
    {
      name: 'CustSpaceId',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 64,
      description: 'Space ID of the ISV sub-customer.',
    },
    {
      name: 'Cc',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 8,
      description: 'Country calling code. Example: 86.',
    },
    {
      name: 'PreValidateId',
      type: 'string',
      required: false,
      location: 'body',
      maxLength: 128,
      deprecated: true,
      description: 'Deprecated by Alibaba ("no longer used"): accepted and ignored.',
    },
    {
      name: 'VerifiedName',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 512,
      description: 'Display name of the phone number (2-75 characters).',
    },
  ],
  limitations: [
    'PreValidateId is accepted and ignored, as Alibaba documents it as no longer used.',
    'Adding a number the space already has answers PhoneNumber.Exists (HTTP 400); Alibaba does not document its code for this case.',
  ],
  // The wire's `Cc` + national `PhoneNumber` become the domain's one number (E.164 digits) here.
  toInput: (p) => ({
    custSpaceId: p.CustSpaceId ?? '',
    number: normalizePhoneNumber(p.Cc ?? '', p.PhoneNumber ?? ''),
    verifiedName: p.VerifiedName ?? '',
  }),
  handler: async (input, ctx) => {
    await ctx.services.phoneNumbers.add(ctx.accountId, input);
    return {};
  },
});
