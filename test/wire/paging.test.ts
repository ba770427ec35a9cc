/**
 * The list actions answer 25 numbers (MaxResults: up to 100), in order of PhoneNumber, and say with
 * NextToken that more follow (src/actions/paging.ts): through the typed SDK methods (which cannot send the paging parameters
 * and ignore NextToken), the SDK's generic callApi and pop-core (which send MaxResults and NextToken).
 */
import * as OpenApi from '@alicloud/openapi-client';
import * as TeaUtil from '@alicloud/tea-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizePhoneNumber } from '../../src/domain/phone-number.js';
import {
  camsClient,
  CamsModels,
  popClient,
  sdkError,
  startServer,
  type TestServer,
} from '../support/server.js';

let s: TestServer;
/** The root space's numbers (E.164), in the order a listing gives them. */
let seeded: string[];
/** A second space of the root account, and its numbers. */
let other: { id: string; numbers: string[] };

const SPACE_NUMBERS = 230;

/** Adds numbers through the service itself (the simulator creates them upstream), in shuffled order. */
async function seed(custSpaceId: string, nationals: string[]): Promise<string[]> {
  const shuffled = [...nationals].sort(() => Math.random() - 0.5);
  for (const national of shuffled) {
    await s.app.phoneNumbers.add(s.root.accountId, {
      custSpaceId,
      number: normalizePhoneNumber('86', national),
      verifiedName: 'Paging Co',
    });
  }
  return nationals.map((n) => `86${n}`).sort();
}

beforeAll(async () => {
  s = await startServer();
  seeded = await seed(
    s.root.custSpaceId,
    Array.from({ length: SPACE_NUMBERS }, (_, i) => `1390013${String(i).padStart(4, '0')}`),
  );
  const space = await s.app.spaces.create(s.root.accountId, { name: 'space two' });
  other = { id: space.id, numbers: await seed(space.id, ['13900140001', '13900140002', '13900140003']) };
}, 60_000);
afterAll(() => s.close());

// Flow control admits 10 calls per second and action: each call here waits its turn.
let last = 0;
async function paced<T>(call: () => Promise<T>): Promise<T> {
  const wait = last + 120 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  last = Date.now();
  return call();
}

type Wire = Record<string, unknown> & { Code: string; NextToken?: string };
const pop = (action: string, params: Record<string, string | number>) =>
  paced(() => popClient(s, s.root).request(action, params) as Promise<Wire>);
const listed = (body: Wire) =>
  (body.PhoneNumbers as Array<{ PhoneNumber: string }>).map((n) => n.PhoneNumber);

/** Every page of a listing through pop-core, following NextToken. */
async function everyPage(action: string, params: Record<string, string | number>, pick = listed) {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const body = await pop(action, { ...params, ...(token === undefined ? {} : { NextToken: token }) });
    expect(body.Code).toBe('OK');
    pages.push(pick(body));
    token = body.NextToken;
  } while (token !== undefined && pages.length < 20);
  return pages;
}

describe('QueryChatappPhoneNumbers', () => {
  it('answers the typed SDK the first 25 numbers of a larger space, in order of PhoneNumber', async () => {
    const { body } = await paced(() =>
      camsClient(s, s.root).queryChatappPhoneNumbers(
        new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
      ),
    );
    expect(body?.code).toBe('OK');
    expect(body?.phoneNumbers?.map((n) => n.phoneNumber)).toEqual(seeded.slice(0, 25));
  });

  it('lists the whole space, each number once, by following NextToken through pop-core', async () => {
    const pages = await everyPage('QueryChatappPhoneNumbers', {
      CustSpaceId: s.root.custSpaceId,
      MaxResults: 100,
    });
    expect(pages.map((p) => p.length)).toEqual([100, 100, 30]);
    expect(pages.flat()).toEqual(seeded);
    const first = await pop('QueryChatappPhoneNumbers', { CustSpaceId: s.root.custSpaceId });
    expect(listed(first)).toEqual(seeded.slice(0, 25));
    expect(first.NextToken).toEqual(expect.any(String));
  });

  it('takes MaxResults and NextToken from the official SDK’s callApi (signature V3)', async () => {
    const call = (query: Record<string, string>) =>
      paced(() =>
        camsClient(s, s.root).callApi(
          new OpenApi.Params({
            action: 'QueryChatappPhoneNumbers',
            version: '2020-06-06',
            protocol: 'HTTPS',
            pathname: '/',
            method: 'POST',
            authType: 'AK',
            style: 'RPC',
            reqBodyType: 'formData',
            bodyType: 'json',
          }),
          new OpenApi.OpenApiRequest({ query }),
          new TeaUtil.RuntimeOptions({}),
        ),
      ) as Promise<{ body: Wire }>;
    const first = (await call({ CustSpaceId: s.root.custSpaceId, MaxResults: '7' })).body;
    expect(listed(first)).toEqual(seeded.slice(0, 7));
    expect(first.NextToken).toEqual(expect.any(String));
    const second = (
      await call({ CustSpaceId: s.root.custSpaceId, MaxResults: '7', NextToken: first.NextToken! })
    ).body;
    expect(listed(second)).toEqual(seeded.slice(7, 14));
  });

  it('ends without NextToken when the page holds the last number exactly', async () => {
    const pages = await everyPage('QueryChatappPhoneNumbers', { CustSpaceId: other.id, MaxResults: 3 });
    expect(pages).toEqual([other.numbers]);
  });

  it('pages the account’s spaces one after the other when no CustSpaceId is given', async () => {
    const pages = await everyPage('QueryChatappPhoneNumbers', { MaxResults: 100 });
    const all = pages.flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...seeded, ...other.numbers].sort());
    // Space by space: the root space's numbers are contiguous, in order.
    expect(all.filter((n) => seeded.includes(n))).toEqual(seeded);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 33]);
  });

  it('pages a Status filter', async () => {
    const pages = await everyPage('QueryChatappPhoneNumbers', {
      CustSpaceId: s.root.custSpaceId,
      Status: 'PENDING',
      MaxResults: 100,
    });
    expect(pages.flat()).toEqual(seeded);
    expect(await everyPage('QueryChatappPhoneNumbers', { Status: 'DELETED' })).toEqual([[]]);
  });

  it.each([
    ['MaxResults', '0'],
    ['MaxResults', '101'],
    ['MaxResults', '1e2'],
    ['MaxResults', '-5'],
    ['NextToken', 'not-a-token'],
    ['NextToken', Buffer.from('["cams-x","86139"]x').toString('base64url')],
    ['NextToken', Buffer.from('{"a":1}').toString('base64url')],
  ])('refuses %s=%s with InvalidParameter naming it', async (name, value) => {
    const e = await sdkError(
      pop('QueryChatappPhoneNumbers', { CustSpaceId: s.root.custSpaceId, [name]: value }),
    );
    expect(e.code).toBe('InvalidParameter');
    expect(e.message).toContain(name);
  });

  it('keeps a NextToken within the caller’s account', async () => {
    const stranger = await s.app.iam.createAccount({ name: 'stranger', subscribed: true });
    const key = await s.app.iam.createAccessKey(stranger.id);
    const first = await pop('QueryChatappPhoneNumbers', { CustSpaceId: s.root.custSpaceId, MaxResults: 1 });
    const theirs = (await paced(() =>
      popClient(s, key).request('QueryChatappPhoneNumbers', { NextToken: first.NextToken! }),
    )) as Wire;
    expect(theirs.Code).toBe('OK');
    expect(listed(theirs)).toEqual([]);
    expect(theirs.NextToken).toBeUndefined();
  });
});

describe('GetChatappPhoneNumberMetric', () => {
  const window = { Start: 1756742399000, End: 1758902399000 };
  const numbersOf = (body: Wire) => (body.Data as Array<{ PhoneNumber: string }>).map((d) => d.PhoneNumber);

  it('answers the typed SDK 25 entries, and the rest through NextToken', async () => {
    const { body } = await paced(() =>
      camsClient(s, s.root).getChatappPhoneNumberMetric(
        new CamsModels.GetChatappPhoneNumberMetricRequest({
          custSpaceId: s.root.custSpaceId,
          start: window.Start,
          end: window.End,
        }),
      ),
    );
    expect(body?.data?.map((d) => d.phoneNumber)).toEqual(seeded.slice(0, 25));
    const pages = await everyPage(
      'GetChatappPhoneNumberMetric',
      { CustSpaceId: s.root.custSpaceId, MaxResults: 100, ...window },
      numbersOf,
    );
    expect(pages.flat()).toEqual(seeded);
  });

  it('answers one entry for the PhoneNumber asked, wherever it sorts in the space', async () => {
    const body = await pop('GetChatappPhoneNumberMetric', {
      CustSpaceId: s.root.custSpaceId,
      PhoneNumber: seeded.at(-1)!,
      ...window,
    });
    expect(numbersOf(body)).toEqual([seeded.at(-1)]);
    expect(body.NextToken).toBeUndefined();
    const absent = await pop('GetChatappPhoneNumberMetric', { PhoneNumber: '8613900149999', ...window });
    expect(numbersOf(absent)).toEqual([]);
  });
});

describe('ChatappSyncPhoneNumber', () => {
  it('syncs the whole space and lists its first 25; QueryChatappPhoneNumbers takes its NextToken', async () => {
    const { body } = await paced(() =>
      camsClient(s, s.root).chatappSyncPhoneNumber(
        new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: s.root.custSpaceId }),
      ),
    );
    expect(body?.phoneNumbers?.map((n) => n.phoneNumber)).toEqual(seeded.slice(0, 25));
    const synced = await pop('ChatappSyncPhoneNumber', { CustSpaceId: s.root.custSpaceId });
    const next = await pop('QueryChatappPhoneNumbers', {
      CustSpaceId: s.root.custSpaceId,
      NextToken: synced.NextToken!,
    });
    expect(listed(next)).toEqual(seeded.slice(25, 50));
  });
});

describe('ChatappEmbedSignUp', () => {
  it("lists the WABAs of the caller's first 25 spaces, in order of creation", async () => {
    for (let i = 0; i < 25; i++) await s.app.spaces.create(s.root.accountId, { name: `embedded ${i}` });
    const spaces = await s.app.spaceRepo.list(s.root.accountId);
    expect(spaces.length).toBe(27);
    const { body } = await paced(() =>
      camsClient(s, s.root).chatappEmbedSignUp(
        new CamsModels.ChatappEmbedSignUpRequest({ inputToken: 'embedded-token' }),
      ),
    );
    expect(body?.wabas?.map((w) => w.id)).toEqual(spaces.slice(0, 25).map((space) => space.wabaId));
  });
});
