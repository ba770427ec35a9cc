import { custSpaceId, numberRef, phoneNumber } from './params.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 -> Meta `register` (whatsapp-upstream.md §1.6) with the service-owned PIN. */
export default defineAction({
  name: 'ChatappPhoneNumberRegister',
  summary: 'Registers a verified phone number with WhatsApp.',
  ramAction: 'cams:ChatappPhoneNumberRegister',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  params: [phoneNumber('body'), custSpaceId('body')],
  limitations: [
    'Meta allows 10 register calls per number in a moving 72-hour window (PhoneNumber.RegisterLimit).',
  ],
  toInput: numberRef,
  handler: async (ref, ctx) => {
    await ctx.services.lifecycle.register(ctx.accountId, ref);
    return {};
  },
});
