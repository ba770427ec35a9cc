import { e164Param } from './params.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 GetPreValidatePhoneId (no CustSpaceId; parameters in the body). */
export default defineAction({
  name: 'GetPreValidatePhoneId',
  summary: 'Gets the phone-number ID of a pre-validated number after checking its verification code.',
  ramAction: 'cams:GetPreValidatePhoneId',
  accessLevel: 'get',
  writes: true,
  qps: 10,
  params: [
    {
      name: 'PhoneNumber',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 32,
      description: 'The number with its country code.',
    },
    {
      name: 'VerifyCode',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 16,
      description: 'The code received for the number.',
    },
  ],
  limitations: [
    "Purchased pre-validated numbers do not exist here: the number must be one the caller added, and the code is checked with Meta's verify_code.",
  ],
  toInput: (p) => ({ e164: e164Param(p.PhoneNumber ?? ''), code: p.VerifyCode ?? '' }),
  handler: async (input, ctx) => {
    const n = await ctx.services.lifecycle.preValidate(ctx.accountId, input.e164, input.code);
    return { Data: { PhoneNumberId: n.upstreamId, PhoneNumber: n.e164 } };
  },
});
