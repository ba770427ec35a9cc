import { custSpaceId, numberRef, phoneNumber } from './params.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 -> Meta `GET /{id}/whatsapp_business_profile`. */
export default defineAction({
  name: 'QueryPhoneBusinessProfile',
  summary: 'Gets the WhatsApp business profile of a phone number.',
  ramAction: 'cams:QueryPhoneBusinessProfile',
  accessLevel: 'get',
  writes: false,
  qps: 10,
  params: [custSpaceId('query'), phoneNumber('query')],
  limitations: [],
  toInput: numberRef,
  handler: async (ref, ctx) => {
    const p = await ctx.services.settings.profile(ctx.accountId, ref);
    return {
      Data: {
        About: p.about,
        Address: p.address,
        Description: p.description,
        Email: p.email,
        ProfilePictureUrl: p.profilePictureUrl,
        Vertical: p.vertical,
        Websites: p.websites,
      },
    };
  },
});
