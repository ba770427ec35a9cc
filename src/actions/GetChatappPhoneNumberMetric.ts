import { invalidParameter } from '../errors/index.js';
import { custSpaceId, e164Param } from './params.js';
import { nextTokenField, pageInput, PAGING_LIMITATION, PAGING_PARAMS } from './paging.js';
import { defineAction } from './spec.js';

function epochMs(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < 0) {
    throw invalidParameter(name, `expected epoch milliseconds, got "${value}".`);
  }
  return n;
}

/** cams-api.md §1.3 GetChatappPhoneNumberMetric (50 QPS). */
export default defineAction({
  name: 'GetChatappPhoneNumberMetric',
  summary: 'Gets sent and delivered message counts per phone number.',
  ramAction: 'cams:GetChatappPhoneNumberMetric',
  accessLevel: 'get',
  writes: false,
  qps: 50,
  params: [
    custSpaceId('query', false),
    {
      name: 'IsvCode',
      type: 'string',
      required: false,
      location: 'query',
      maxLength: 128,
      description: 'Accepted and not checked.',
    },
    {
      name: 'PhoneNumber',
      type: 'string',
      required: false,
      location: 'query',
      maxLength: 32,
      description: 'Only this number.',
    },
    {
      name: 'Granularity',
      type: 'string',
      required: false,
      location: 'query',
      enum: ['DAILY', 'HALF_HOUR'],
      description: 'DAILY or HALF_HOUR.',
    },
    // Start and End are numbers (int64) in the SDK model, sent as decimal digits.
    {
      name: 'Start',
      type: 'integer',
      required: true,
      location: 'query',
      maxLength: 16,
      description: 'Start time, epoch milliseconds.',
    },
    {
      name: 'End',
      type: 'integer',
      required: true,
      location: 'query',
      maxLength: 16,
      description: 'End time, epoch milliseconds.',
    },
    ...PAGING_PARAMS,
  ],
  limitations: [
    'This service sends no messages, so every count is 0; one entry per number of the space.',
    PAGING_LIMITATION,
  ],
  toInput: (p) => ({
    custSpaceId: p.CustSpaceId,
    phoneNumber: p.PhoneNumber === undefined ? undefined : e164Param(p.PhoneNumber),
    granularity: p.Granularity ?? 'DAILY',
    start: epochMs('Start', p.Start),
    end: epochMs('End', p.End),
    page: pageInput(p),
  }),
  handler: async (input, ctx) => {
    if (input.end < input.start) throw invalidParameter('End', 'expected End not before Start.');
    const entry = (e164: string) => ({
      PhoneNumber: e164,
      Granularity: input.granularity,
      Start: input.start,
      End: input.end,
      SentCount: 0,
      DeliveredCount: 0,
    });
    if (input.phoneNumber !== undefined) {
      // One number: looked up, not found in a listing of the space.
      const found = await ctx.services.phoneNumbers.findListed(
        ctx.accountId,
        input.custSpaceId,
        input.phoneNumber,
      );
      return { Data: found === undefined ? [] : [entry(found.e164)] };
    }
    const page = await ctx.services.phoneNumbers.listPage(ctx.accountId, input.custSpaceId, input.page);
    return { Data: page.numbers.map((n) => entry(n.e164)), ...nextTokenField(page) };
  },
});
