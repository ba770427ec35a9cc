import { custSpaceId, numberRef, phoneNumber } from './params.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 -> Meta `GET /{id}?fields=code_verification_status`. */
export default defineAction({
  name: 'GetPhoneNumberVerificationStatus',
  summary: 'Gets the code verification status of a phone number.',
  ramAction: 'cams:GetPhoneNumberVerificationStatus',
  accessLevel: 'get',
  writes: false,
  qps: 10,
  params: [phoneNumber('body'), custSpaceId('body')],
  limitations: ["CodeVerificationStatus carries Meta's values NOT_VERIFIED, VERIFIED and EXPIRED."],
  toInput: numberRef,
  handler: async (ref, ctx) => {
    const n = await ctx.services.lifecycle.verificationStatus(ctx.accountId, ref);
    return {
      Data: { CodeVerificationStatus: n.codeVerificationStatus, Id: n.upstreamId, PhoneNumber: n.e164 },
    };
  },
});
