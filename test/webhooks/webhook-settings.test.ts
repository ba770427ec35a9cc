/**
 * Changing and removing callback URLs through the SDK: a new URL takes over future events, an empty
 * StatusCallbackUrl removes the URL (NumberSettingsService.setPhoneWebhook: "an empty URL clears it"),
 * after which the space's URL applies; calls with no optional parameter change nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEventRecord } from '../../src/webhooks/index.js';
import { CamsModels, startServer, type SdkError, type TestServer } from '../support/server.js';
import {
  add,
  client,
  e164,
  NAME_REVIEW_MS,
  numbers,
  queryOne,
  verificationStatus,
  type Client,
} from '../lifecycle/helpers.js';
import { eventually, startReceiver, type Receiver } from './receiver.js';

let s: TestServer;
let c: Client;
const next = numbers(7700);
const receivers: Receiver[] = [];

beforeAll(async () => {
  s = await startServer(
    { CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true', CAMS_SYNC_INTERVAL_MS: '0' },
    {
      webhookOptions: {
        backoffBaseMs: 50,
        backoffMaxMs: 200,
        pollIntervalMs: 50,
        timeoutMs: 1000,
        leaseMs: 5000,
      },
    },
  );
  c = client(s, s.root);
});
afterAll(() => s.close());
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(name: string): Promise<Receiver> {
  const r = await startReceiver({ name });
  receivers.push(r);
  return r;
}

async function newSpace(name: string): Promise<string> {
  return (await s.app.spaces.create(s.root.accountId, { name })).id;
}

async function addNumber(space: string): Promise<string> {
  const national = next();
  await add(c, space, national);
  return e164(national);
}

function setPhoneWebhook(
  custSpaceId: string,
  phoneNumber: string,
  hook: { statusCallbackUrl?: string; httpFlag?: string },
) {
  return c.updatePhoneWebhook(
    new CamsModels.UpdatePhoneWebhookRequest({ custSpaceId, phoneNumber, ...hook }),
  );
}

function setAccountWebhook(custSpaceId: string, hook: { statusCallbackUrl?: string; httpFlag?: string }) {
  return c.updateAccountWebhook(new CamsModels.UpdateAccountWebhookRequest({ custSpaceId, ...hook }));
}

/** Lets the display-name review decide and reads the number: exactly one NameStatus event. */
async function nameDecision(space: string, phoneNumber: string): Promise<void> {
  await s.app.simulator.advanceClock(NAME_REVIEW_MS);
  await verificationStatus(c, space, phoneNumber);
}

async function eventsOf(phoneNumber: string): Promise<WebhookEventRecord[]> {
  const all = await s.app.webhooks.listEvents(s.root.accountId, { limit: 1000 });
  return all.filter((e) => (e.payload.Data as { PhoneNumber?: string }).PhoneNumber === phoneNumber);
}

/** What the SDK user sees of a call, success or failure alike. */
async function outcome(
  call: Promise<{ statusCode?: number; body?: { code?: string; message?: string } }>,
): Promise<{ code?: string; message?: string; statusCode?: number }> {
  try {
    const res = await call;
    return { code: res.body?.code, message: res.body?.message, statusCode: res.statusCode };
  } catch (error) {
    const err = error as SdkError;
    return { code: err.code, message: String(err.data?.Message), statusCode: err.data?.statusCode };
  }
}

async function storedSpace(space: string) {
  const stored = await s.app.spaceRepo.get(s.root.accountId, space);
  return { statusCallbackUrl: stored?.statusCallbackUrl, httpFlag: stored?.httpFlag };
}

describe('changing callback URLs', () => {
  it('a new StatusCallbackUrl takes over: later events go there, not to the old one', async () => {
    const old = await receiver('old');
    const current = await receiver('new');
    const space = s.root.custSpaceId;
    const phoneNumber = await addNumber(space);
    await setPhoneWebhook(space, phoneNumber, { statusCallbackUrl: old.url });
    await setPhoneWebhook(space, phoneNumber, { statusCallbackUrl: current.url });
    expect((await queryOne(c, space, phoneNumber))?.statusCallbackUrl).toBe(current.url);
    await nameDecision(space, phoneNumber);
    expect((await eventsOf(phoneNumber)).map((e) => e.url)).toEqual([current.url]);
    await eventually(() => expect(current.hits).toHaveLength(1));
    expect(old.hits).toEqual([]);
  });

  it('UpdatePhoneWebhook with no optional parameter answers OK and changes nothing', async () => {
    const r = await receiver('kept');
    const space = s.root.custSpaceId;
    const phoneNumber = await addNumber(space);
    await setPhoneWebhook(space, phoneNumber, { statusCallbackUrl: r.url, httpFlag: 'Y' });
    const res = await setPhoneWebhook(space, phoneNumber, {});
    expect(res.body?.code).toBe('OK');
    expect((await queryOne(c, space, phoneNumber))?.statusCallbackUrl).toBe(r.url);
  });

  it('UpdateAccountWebhook with no optional parameter answers OK (SUCCESS) and changes nothing', async () => {
    const r = await receiver('space');
    const space = await newSpace('untouched space');
    expect((await setAccountWebhook(space, { statusCallbackUrl: r.url, httpFlag: 'Y' })).body?.code).toBe(
      'OK',
    );
    const before = await storedSpace(space);
    const answer = await outcome(
      c.updateAccountWebhook(new CamsModels.UpdateAccountWebhookRequest({ custSpaceId: space })),
    );
    expect(answer).toEqual({ code: 'OK', message: 'SUCCESS', statusCode: 200 });
    expect(await storedSpace(space)).toEqual(before);
  });
});

describe('removing callback URLs with an empty StatusCallbackUrl', () => {
  it("UpdatePhoneWebhook StatusCallbackUrl='' removes the number's URL; the space's URL then applies", async () => {
    const own = await receiver('number');
    const fallback = await receiver('space');
    const space = await newSpace('clearing space');
    await setAccountWebhook(space, { statusCallbackUrl: fallback.url });
    const phoneNumber = await addNumber(space);
    await setPhoneWebhook(space, phoneNumber, { statusCallbackUrl: own.url });

    expect((await setPhoneWebhook(space, phoneNumber, { statusCallbackUrl: '' })).body?.code).toBe('OK');
    expect((await queryOne(c, space, phoneNumber))?.statusCallbackUrl).toBe('');
    await nameDecision(space, phoneNumber);
    expect((await eventsOf(phoneNumber)).map((e) => e.url)).toEqual([fallback.url]);
    await eventually(() => expect(fallback.of(phoneNumber)).toHaveLength(1));
    expect(own.hits).toEqual([]);
  });

  it("UpdateAccountWebhook StatusCallbackUrl='' removes the space's URL: no more events for its numbers", async () => {
    const fallback = await receiver('space');
    const space = await newSpace('silenced space');
    await setAccountWebhook(space, { statusCallbackUrl: fallback.url });
    const phoneNumber = await addNumber(space);

    const answer = await outcome(setAccountWebhook(space, { statusCallbackUrl: '' }));
    expect(answer).toEqual({ code: 'OK', message: 'SUCCESS', statusCode: 200 });
    expect((await storedSpace(space)).statusCallbackUrl).toBe('');
    await nameDecision(space, phoneNumber);
    expect(await eventsOf(phoneNumber)).toEqual([]);
  });
});
