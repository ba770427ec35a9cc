import { custSpaceId, yesNo } from './params.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 UpdateAccountWebhook: the space-wide status callback. */
export default defineAction({
  name: 'UpdateAccountWebhook',
  summary: 'Sets the status callback URL of a customer space, used by numbers that have none of their own.',
  ramAction: 'cams:UpdateAccountWebhook',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  successMessage: 'SUCCESS',
  params: [
    custSpaceId('query'),
    {
      name: 'StatusCallbackUrl',
      type: 'string',
      required: false,
      location: 'query',
      allowEmpty: true,
      maxLength: 1024,
      description: 'HTTP(S) URL that receives status events; empty to remove it.',
    },
    yesNo('HttpFlag', 'query', 'Y to receive events by HTTP (default), N to stop.'),
    yesNo('QueueFlag', 'query', 'Receive events by queue (stored; no queue is offered).'),
  ],
  limitations: ['Template and WABA status events are not produced; phone-number events are.'],
  toInput: (p) => ({
    custSpaceId: p.CustSpaceId ?? '',
    statusCallbackUrl: p.StatusCallbackUrl,
    httpFlag: p.HttpFlag,
    queueFlag: p.QueueFlag,
  }),
  handler: async (input, ctx) => {
    await ctx.services.settings.setSpaceWebhook(ctx.accountId, input);
    return {};
  },
});
