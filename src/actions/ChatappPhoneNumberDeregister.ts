import { custSpaceId, numberRef, phoneNumber } from './params.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 -> Meta `deregister` (whatsapp-upstream.md §1.6). */
export default defineAction({
  name: 'ChatappPhoneNumberDeregister',
  summary: 'Deregisters a phone number from WhatsApp.',
  ramAction: 'cams:ChatappPhoneNumberDeregister',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  params: [phoneNumber('body'), custSpaceId('body')],
  limitations: [],
  toInput: numberRef,
  handler: async (ref, ctx) => {
    await ctx.services.lifecycle.deregister(ctx.accountId, ref);
    return {};
  },
});
