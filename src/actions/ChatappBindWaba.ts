import { invalidParameter } from '../errors/index.js';
import { defineAction } from './spec.js';

/** cams-api.md §1.3 ChatappBindWaba. */
export default defineAction({
  name: 'ChatappBindWaba',
  summary: 'Binds a WhatsApp Business Account to a new customer space of the caller.',
  ramAction: 'cams:ChatappBindWaba',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  params: [
    {
      name: 'WabaId',
      type: 'string',
      required: true,
      location: 'body',
      maxLength: 32,
      description: 'The WABA ID Meta gave the account.',
    },
  ],
  limitations: [
    'Binding the same WABA again returns the existing space; a WABA bound to another account answers Unknown.ResourceOwnerId.',
    'With the simulator, an unknown WABA ID is created in the simulator.',
  ],
  toInput: (p) => ({ wabaId: p.WabaId ?? '' }),
  handler: async (input, ctx) => {
    if (!/^\d{5,20}$/.test(input.wabaId)) {
      throw invalidParameter('WabaId', `expected the numeric WABA ID, got "${input.wabaId}".`);
    }
    const space = await ctx.services.wabas.bind(ctx.accountId, input.wabaId);
    return { Data: { CustSpaceId: space.id, WabaId: space.wabaId } };
  },
});
