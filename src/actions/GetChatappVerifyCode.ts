import { custSpaceId, numberRef, phoneNumber } from './params.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 GetChatappVerifyCode -> Meta `request_code` (whatsapp-upstream.md §1.5). */
export default defineAction({
  name: 'GetChatappVerifyCode',
  summary: 'Sends a verification code to the phone number by SMS or voice call.',
  ramAction: 'cams:GetChatappVerifyCode',
  accessLevel: 'get',
  writes: true,
  qps: 10,
  params: [
    phoneNumber('body'),
    custSpaceId('body'),
    {
      name: 'Method',
      type: 'string',
      required: true,
      location: 'body',
      enum: ['sms', 'voice'],
      description: 'How to receive the code: sms or voice.',
    },
    {
      name: 'Locale',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 16,
      description: 'Language of the message, e.g. zh_CN, en_US.',
    },
  ],
  limitations: [
    'With the simulator the code is not sent anywhere: read it from the outbox (`cams sim outbox`).',
  ],
  toInput: (p) => ({ ref: numberRef(p), method: p.Method as 'sms' | 'voice', locale: p.Locale ?? '' }),
  handler: async (input, ctx) => {
    await ctx.services.lifecycle.requestCode(ctx.accountId, input.ref, input.method, input.locale);
    return {};
  },
});
