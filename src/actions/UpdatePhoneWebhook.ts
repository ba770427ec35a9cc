import { custSpaceId, numberRef, phoneNumber, yesNo } from './params.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 UpdatePhoneWebhook: per-number callback URLs. */
export default defineAction({
  name: 'UpdatePhoneWebhook',
  summary: 'Sets the status and inbound-message callback URLs of a phone number.',
  ramAction: 'cams:UpdatePhoneWebhook',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  params: [
    custSpaceId('query'),
    phoneNumber('query'),
    {
      name: 'StatusCallbackUrl',
      type: 'string',
      required: false,
      location: 'query',
      allowEmpty: true,
      maxLength: 1024,
      description: 'HTTP(S) URL that receives status events; empty to remove it.',
    },
    {
      name: 'UpCallbackUrl',
      type: 'string',
      required: false,
      location: 'query',
      allowEmpty: true,
      maxLength: 1024,
      description: 'HTTP(S) URL for inbound messages (stored; this service relays no messages).',
    },
    yesNo('HttpFlag', 'query', 'Y to receive events by HTTP (default), N to stop.'),
    yesNo('QueueFlag', 'query', 'Receive events by queue (stored; no queue is offered).'),
  ],
  limitations: [
    'Callback URLs resolving to loopback, private or link-local addresses are refused unless the operator allows them.',
    'No message queue (MNS) delivery: QueueFlag is stored only.',
  ],
  toInput: (p) => ({
    ...numberRef(p),
    statusCallbackUrl: p.StatusCallbackUrl,
    upCallbackUrl: p.UpCallbackUrl,
    httpFlag: p.HttpFlag,
    queueFlag: p.QueueFlag,
  }),
  handler: async (input, ctx) => {
    await ctx.services.settings.setPhoneWebhook(ctx.accountId, input);
    return {};
  },
});
