/** The explorer form's checks (web/explorer/form-check.ts) against the gateway's answers for the same values. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMS_PRODUCT } from '../../src/actions/products.js';
import { actionCatalogue } from '../../src/web/explorer/action-catalogue.js';
import { formErrors, sentValues } from '../../web/explorer/form-check.js';
import { popClient, startServer, type TestServer } from '../support/server.js';
import { popError } from '../wire/helpers.js';

const actions = actionCatalogue([CAMS_PRODUCT]).actions;
const action = (name: string) => actions.find((a) => a.name === name)!;

describe('the form checks', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it.each([
    ['a required value left out', { Cc: '86', VerifiedName: 'Shop' }],
    ['a value over its limit', { Cc: '86'.repeat(5), VerifiedName: 'Shop', PhoneNumber: '1' }],
    ['a control character', { Cc: '86', VerifiedName: 'Sh\u0007op', PhoneNumber: '1' }],
  ])('%s: the message the gateway answers, word for word', async (_label, values) => {
    const add = action('AddChatappPhoneNumber');
    const form = formErrors(add.params, { CustSpaceId: s.root.custSpaceId, ...values });
    expect(Object.keys(form)).toHaveLength(1);
    const err = await popError(
      popClient(s, s.root).request(
        'AddChatappPhoneNumber',
        { CustSpaceId: s.root.custSpaceId, ...values },
        { method: 'POST' },
      ),
    );
    expect(Object.values(form)[0]).toBe(err.data.Message);
  });

  it('an enum value outside the list: the message the gateway answers, naming the values it may take', async () => {
    const metric = action('GetChatappPhoneNumberMetric');
    const values = {
      CustSpaceId: s.root.custSpaceId,
      PhoneNumber: '8613800138000',
      Start: '1700000000000',
      End: '1700086400000',
      Granularity: 'WEEKLY',
    };
    const form = formErrors(metric.params, values);
    expect(form).toEqual({
      Granularity:
        'Specified parameter Granularity is not valid: expected one of DAILY, HALF_HOUR, got "WEEKLY".',
    });
    const err = await popError(
      popClient(s, s.root).request('GetChatappPhoneNumberMetric', values, { method: 'POST' }),
    );
    expect(err.data.Message).toBe(form.Granularity);
  });

  it('sends filled values, and an empty one only where the spec gives empty a meaning and the user asked', () => {
    const webhook = action('UpdatePhoneWebhook');
    const clearable = webhook.params.find((p) => p.allowEmpty)!;
    const plain = webhook.params.find((p) => !p.allowEmpty && !p.required)!;
    const values = { CustSpaceId: 'cs', PhoneNumber: '8613800138000', [clearable.name]: '' };
    const names = (sent: ReturnType<typeof sentValues>) => sent.map(([p, v]) => `${p.name}=${v}`);
    expect(names(sentValues(webhook.params, values))).toEqual([
      'CustSpaceId=cs',
      'PhoneNumber=8613800138000',
    ]);
    const asked = new Set([clearable.name, plain.name]);
    expect(names(sentValues(webhook.params, values, asked))).toContain(`${clearable.name}=`);
    // Asking for an empty value of a parameter where empty means nothing sends nothing.
    expect(names(sentValues(webhook.params, values, asked))).not.toContain(`${plain.name}=`);
  });
});
