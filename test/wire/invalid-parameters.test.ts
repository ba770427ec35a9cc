/** AddChatappPhoneNumber's Cc and PhoneNumber validation: InvalidParameter naming the parameter. */
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
const phone = phoneSequence(400);
beforeAll(async () => {
  s = await startServer({}, { limiter: unlimited });
});
afterAll(() => s.close());

describe('invalid Cc', () => {
  it.each(['999', 'abc', '0', '+', '86a'])('Cc %j: InvalidParameter naming Cc', async (cc) => {
    const before = await phoneRows(s);
    const err = await sdkError(
      camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone(), { cc })),
    );
    expectSdkError(err, 'InvalidParameter', 400, /\bCc\b/);
    expect(err.data?.Message).not.toMatch(/PhoneNumber/);
    expect(await phoneRows(s)).toEqual(before);
  });

  it('Cc "999" through pop-core: InvalidParameter naming Cc', async () => {
    const err = await popError(
      popClient(s, s.root).request('AddChatappPhoneNumber', {
        ...addParams(s.root.custSpaceId, phone()),
        Cc: '999',
      }),
    );
    expectPopError(err, 'InvalidParameter', /\bCc\b/);
  });
});

describe('invalid PhoneNumber', () => {
  it.each([
    ['too short', '86', '123'],
    ['a letter', '86', '1380013800a'],
    ['with the country code prefix', '86', '8613800138000'],
    ['with a plus', '86', '+8613800138000'],
    ['too long', '86', '138001380001234'],
    ['a China number under Cc 1', '1', '13800138000'],
  ])('PhoneNumber %s: InvalidParameter naming PhoneNumber', async (_name, cc, phoneNumber) => {
    const before = await phoneRows(s);
    const err = await sdkError(
      camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phoneNumber, { cc })),
    );
    expectSdkError(err, 'InvalidParameter', 400, /\bPhoneNumber\b/);
    expect(await phoneRows(s)).toEqual(before);
  });

  it('the country-code mistake is explained', async () => {
    const err = await sdkError(
      camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, '8613800138000')),
    );
    expectSdkError(err, 'InvalidParameter', 400, /country code/);
  });

  it('valid numbers of both examples are accepted: 86 1380013xxxx and 1 2015550123', async () => {
    const client = camsClient(s, s.root);
    const cn = phone();
    expect((await client.addChatappPhoneNumber(addRequest(s.root.custSpaceId, cn))).body?.code).toBe('OK');
    expect(
      (await client.addChatappPhoneNumber(addRequest(s.root.custSpaceId, '2015550123', { cc: '1' }))).body
        ?.code,
    ).toBe('OK');
    expect((await phoneRows(s)).map((r) => r.e164).sort()).toEqual(['12015550123', `86${cn}`].sort());
  });
});
