/** AddChatappPhoneNumber's mandatory parameters: Missing{Name}, HTTP 400, nothing stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, popClient, sdkError, startServer, type TestServer } from '../support/server.js';
import {
  addParams,
  addRequest,
  expectPopError,
  expectSdkError,
  phoneRows,
  phoneSequence,
  popError,
  unlimited,
} from './helpers.js';

let s: TestServer;
const phone = phoneSequence(300);
beforeAll(async () => {
  s = await startServer({}, { limiter: unlimited });
});
afterAll(() => s.close());

const MANDATORY = [
  ['PhoneNumber', 'phoneNumber'],
  ['CustSpaceId', 'custSpaceId'],
  ['Cc', 'cc'],
  ['VerifiedName', 'verifiedName'],
] as const;

describe('missing mandatory parameters', () => {
  it.each(MANDATORY)('without %s through the V3 SDK: Missing{Name}', async (wire, model) => {
    const before = await phoneRows(s);
    const err = await sdkError(
      camsClient(s, s.root).addChatappPhoneNumber(
        addRequest(s.root.custSpaceId, phone(), { [model]: undefined }),
      ),
    );
    expectSdkError(err, `Missing${wire}`, 400, `${wire} is mandatory for this action.`);
    expect(await phoneRows(s)).toEqual(before);
  });

  it.each(MANDATORY)('without %s through pop-core: Missing{Name}', async (wire) => {
    const before = await phoneRows(s);
    const params = addParams(s.root.custSpaceId, phone());
    delete params[wire];
    const err = await popError(
      popClient(s, s.root).request('AddChatappPhoneNumber', params, { method: 'POST' }),
    );
    expectPopError(err, `Missing${wire}`, `${wire} is mandatory for this action.`);
    expect(await phoneRows(s)).toEqual(before);
  });

  it.each(MANDATORY)('%s given empty through the V3 SDK: Missing{Name}', async (wire, model) => {
    const before = await phoneRows(s);
    const err = await sdkError(
      camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone(), { [model]: '' })),
    );
    expectSdkError(err, `Missing${wire}`, 400, `${wire} is mandatory for this action.`);
    expect(await phoneRows(s)).toEqual(before);
  });

  it('PreValidateId absent is fine', async () => {
    const number = phone();
    const res = await camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, number));
    expect(res.body?.code).toBe('OK');
    expect((await phoneRows(s)).map((r) => r.e164)).toContain(`86${number}`);
  });

  it('PreValidateId given is accepted and ignored', async () => {
    const withId = phone();
    const without = phone();
    const client = camsClient(s, s.root);
    const res = await client.addChatappPhoneNumber(
      addRequest(s.root.custSpaceId, withId, { preValidateId: '1020****' }),
    );
    expect(res.body?.code).toBe('OK');
    await client.addChatappPhoneNumber(addRequest(s.root.custSpaceId, without));
    const listed = (await client.queryChatappPhoneNumbers({ custSpaceId: s.root.custSpaceId } as never)).body
      ?.phoneNumbers;
    const a = listed?.find((n) => n.phoneNumber === `86${withId}`);
    const b = listed?.find((n) => n.phoneNumber === `86${without}`);
    expect(a).toBeDefined();
    // Apart from the number itself, the two records are the same: PreValidateId changed nothing.
    expect({ ...a, phoneNumber: undefined }).toEqual({ ...b, phoneNumber: undefined });
  });
});
