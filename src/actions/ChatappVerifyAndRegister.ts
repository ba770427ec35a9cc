import { invalidParameter } from '../errors/index.js';
import { custSpaceId, numberRef, phoneNumber } from './params.js';
import { defineAction } from './spec.js';

/** Meta's codes are 6 digits (whatsapp-upstream.md §1.5); anything else cannot be right. */
function verifyCode(value: string | undefined): string {
  const code = (value ?? '').trim();
  if (!/^\d{6}$/.test(code))
    throw invalidParameter('VerifyCode', `expected the 6-digit code that was sent, got "${value}".`);
  return code;
}

/** cams-api.md §1.3 -> Meta `verify_code` then `register` with the service-owned PIN. */
export default defineAction({
  name: 'ChatappVerifyAndRegister',
  summary: 'Verifies the code sent to the number and registers the number.',
  ramAction: 'cams:ChatappVerifyAndRegister',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  params: [
    custSpaceId('body'),
    phoneNumber('body'),
    {
      name: 'VerifyCode',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 16,
      description: 'The code received by SMS or voice.',
    },
  ],
  limitations: [
    'The two-step verification PIN is generated and kept (encrypted) by this service; it is never shown.',
  ],
  toInput: (p) => ({ ref: numberRef(p), code: verifyCode(p.VerifyCode) }),
  handler: async (input, ctx) => {
    await ctx.services.lifecycle.verifyAndRegister(ctx.accountId, input.ref, input.code);
    return {};
  },
});
