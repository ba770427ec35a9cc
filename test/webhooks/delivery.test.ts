/**
 * Webhook delivery, black box: callback URLs are set through the official SDK (UpdatePhoneWebhook,
 * UpdateAccountWebhook), changes are caused through the SDK (or by simulator time alone), and a local
 * receiver checks what arrives: signed bodies (X-Cams-Event-Id / X-Cams-Timestamp / X-Cams-Signature),
 * at-least-once retries with one EventId, the space fallback URL and HttpFlag N.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature, type WebhookEventRecord } from '../../src/webhooks/index.js';
import { CamsModels, startServer, type TestServer } from '../support/server.js';
import {
  add,
  client,
  deregister,
  e164,
  NAME_REVIEW_MS,
  numbers,
  OPERATOR_TOKEN,
  queryOne,
  readCode,
  requestCode,
  verificationStatus,
  verifyAndRegister,
  type Client,
} from '../lifecycle/helpers.js';
import { eventually, freePort, startReceiver, type Hit, type Receiver } from './receiver.js';

const WEBHOOK_OPTIONS = {
  backoffBaseMs: 50,
  backoffMaxMs: 200,
  pollIntervalMs: 50,
  timeoutMs: 1000,
  leaseMs: 5000,
};

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(opts: Parameters<typeof startReceiver>[0] = {}): Promise<Receiver> {
  const r = await startReceiver(opts);
  receivers.push(r);
  return r;
}

function setPhoneWebhook(
  c: Client,
  custSpaceId: string,
  phoneNumber: string,
  hook: { statusCallbackUrl?: string; httpFlag?: string },
) {
  return c.updatePhoneWebhook(
    new CamsModels.UpdatePhoneWebhookRequest({ custSpaceId, phoneNumber, ...hook }),
  );
}

function setAccountWebhook(
  c: Client,
  custSpaceId: string,
  hook: { statusCallbackUrl?: string; httpFlag?: string },
) {
  return c.updateAccountWebhook(new CamsModels.UpdateAccountWebhookRequest({ custSpaceId, ...hook }));
}

/** The outbox rows of one number, oldest first. */
async function eventsOf(s: TestServer, phoneNumber: string): Promise<WebhookEventRecord[]> {
  const all = await s.app.webhooks.listEvents(s.root.accountId, { limit: 1000 });
  return all
    .filter((e) => (e.payload.Data as { PhoneNumber?: string }).PhoneNumber === phoneNumber)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Asserts a delivery is signed with the account's secret, and that any change to it breaks the signature. */
function expectSigned(s: TestServer, secret: string, hit: Hit): void {
  const now = s.clock.now();
  expect(hit.headers['content-type']).toBe('application/json');
  expect(hit.headers['x-cams-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
  const timestamp = Number(hit.headers['x-cams-timestamp']);
  expect(Math.abs(now / 1000 - timestamp)).toBeLessThan(60);
  expect(hit.eventId).toBe(hit.payload?.EventId);
  expect(verifyWebhookSignature(secret, hit.headers, hit.body, now)).toBe(true);
  expect(verifyWebhookSignature(secret, hit.headers, Buffer.from(hit.body, 'utf8'), now)).toBe(true);
  const tampered = hit.body.replace('"EventType":"PhoneNumberStatus"', '"EventType":"PhoneNumberStatuz"');
  expect(tampered).not.toBe(hit.body);
  expect(verifyWebhookSignature(secret, hit.headers, tampered, now)).toBe(false);
  expect(verifyWebhookSignature('whsec_not-the-secret', hit.headers, hit.body, now)).toBe(false);
  const replayed = { ...hit.headers, 'x-cams-timestamp': String(timestamp + 1) };
  expect(verifyWebhookSignature(secret, replayed, hit.body, now)).toBe(false);
}

describe('webhook delivery (reconciler off)', () => {
  let s: TestServer;
  let c: Client;
  let secret: string;
  const next = numbers(7000);

  beforeAll(async () => {
    // The reconciler is off: every event here comes from the API call that caused it.
    s = await startServer(
      {
        CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true',
        CAMS_SYNC_INTERVAL_MS: '0',
        CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
      },
      { webhookOptions: WEBHOOK_OPTIONS },
    );
    c = client(s, s.root);
    secret = await s.app.webhooks.signingSecret(s.root.accountId);
  });
  afterAll(() => s.close());

  /** A number added to `space` with (unless null) its own StatusCallbackUrl. */
  async function addNumber(space: string, url: string | null): Promise<string> {
    const national = next();
    await add(c, space, national);
    const phoneNumber = e164(national);
    if (url !== null) {
      expect((await setPhoneWebhook(c, space, phoneNumber, { statusCallbackUrl: url })).body?.code).toBe(
        'OK',
      );
    }
    return phoneNumber;
  }

  /** The display-name review decides (simulator time), and a read of the number picks it up: one event. */
  async function nameDecision(space: string, ...phoneNumbers: string[]): Promise<void> {
    await s.app.simulator.advanceClock(NAME_REVIEW_MS);
    for (const phoneNumber of phoneNumbers) await verificationStatus(c, space, phoneNumber);
  }

  async function verifyAndRegisterNumber(space: string, phoneNumber: string): Promise<void> {
    await requestCode(c, space, phoneNumber);
    const code = await readCode(s, phoneNumber);
    await s.app.simulator.advanceClock(NAME_REVIEW_MS);
    await verifyAndRegister(c, space, phoneNumber, code);
  }

  it('ChatappVerifyAndRegister sends signed events with the new state, ChangedFields and Previous', async () => {
    const r = await receiver();
    const space = s.root.custSpaceId;
    const phoneNumber = await addNumber(space, r.url);
    expect((await queryOne(c, space, phoneNumber))?.statusCallbackUrl).toBe(r.url);
    // Setting the URL changes no status: nothing is sent for it.
    expect(await eventsOf(s, phoneNumber)).toEqual([]);

    await verifyAndRegisterNumber(space, phoneNumber);
    const final = await queryOne(c, space, phoneNumber);
    expect(final).toMatchObject({
      status: 'CONNECTED',
      codeVerificationStatus: 'VERIFIED',
      nameStatus: 'Approval',
    });

    // The events are in the outbox when the call returns; delivery follows in the background.
    const events = await eventsOf(s, phoneNumber);
    expect(events.length).toBeGreaterThan(0);
    await eventually(async () => {
      expect((await eventsOf(s, phoneNumber)).map((e) => e.status)).toEqual(events.map(() => 'delivered'));
      expect(r.of(phoneNumber)).toHaveLength(events.length);
    });

    const hits = r.of(phoneNumber);
    expect(new Set(hits.map((h) => h.eventId))).toEqual(new Set(events.map((e) => e.id)));
    for (const hit of hits) {
      expect(hit.path).toBe('/hooks/status');
      expectSigned(s, secret, hit);
      const body = hit.payload!;
      expect(body).toMatchObject({ EventType: 'PhoneNumberStatus', AccountId: s.root.accountId });
      expect(body.Data).toMatchObject({ CustSpaceId: space, PhoneNumber: phoneNumber });
      // Previous holds exactly the changed fields, each with a value other than the new one.
      expect(Object.keys(body.Data.Previous).sort()).toEqual([...body.Data.ChangedFields].sort());
      for (const field of body.Data.ChangedFields) {
        const now = (body.Data as unknown as Record<string, string>)[field];
        expect(body.Data.Previous[field]).not.toBe(now);
      }
    }
    const payloads = hits.map((h) => h.payload!.Data);
    expect(new Set(payloads.flatMap((d) => d.ChangedFields))).toEqual(
      new Set(['CodeVerificationStatus', 'NameStatus', 'Status']),
    );
    expect(payloads).toContainEqual(
      expect.objectContaining({
        CodeVerificationStatus: 'VERIFIED',
        Previous: expect.objectContaining({ CodeVerificationStatus: 'NOT_VERIFIED' }),
      }),
    );
    expect(payloads).toContainEqual(
      expect.objectContaining({
        NameStatus: 'Approval',
        Previous: expect.objectContaining({ NameStatus: 'Pending_Review' }),
      }),
    );
    expect(payloads).toContainEqual(
      expect.objectContaining({
        Status: 'CONNECTED',
        Previous: expect.objectContaining({ Status: 'PENDING' }),
      }),
    );
    // The newest event shows the state QueryChatappPhoneNumbers shows.
    expect(events.at(-1)!.payload.Data).toMatchObject({
      Status: final!.status,
      CodeVerificationStatus: final!.codeVerificationStatus,
      NameStatus: final!.nameStatus,
    });
  });

  it('a receiver answering 500 twice then 200 gets the same event three times; it ends delivered', async () => {
    const r = await receiver({ respond: (attempt) => (attempt <= 2 ? 500 : 200) });
    const space = s.root.custSpaceId;
    const phoneNumber = await addNumber(space, r.url);
    await nameDecision(space, phoneNumber);

    const [event, ...more] = await eventsOf(s, phoneNumber);
    expect(more).toEqual([]);
    expect(event!.payload.Data).toMatchObject({
      NameStatus: 'Approval',
      ChangedFields: ['NameStatus'],
      Previous: { NameStatus: 'Pending_Review' },
    });
    const delivered = await eventually(async () => {
      const [record] = await eventsOf(s, phoneNumber);
      expect(record?.status).toBe('delivered');
      return record!;
    });
    expect(delivered).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null });
    expect(delivered.deliveredAt).not.toBeNull();

    const hits = r.hits.filter((h) => h.eventId === event!.id);
    expect(hits.map((h) => h.answered)).toEqual([500, 500, 200]);
    expect(r.hits).toHaveLength(3);
    // Every attempt carries the same bytes (and EventId), each signed when it was sent.
    expect(new Set(hits.map((h) => h.body)).size).toBe(1);
    for (const hit of hits) expectSigned(s, secret, hit);
  });

  it('a receiver that is down and comes back later still gets the event', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hooks/status`;
    const space = s.root.custSpaceId;
    const phoneNumber = await addNumber(space, url);
    await nameDecision(space, phoneNumber);
    const [event] = await eventsOf(s, phoneNumber);
    expect(event).toBeDefined();

    // Nobody listens: attempts fail with a connection error and stay pending.
    await eventually(async () => {
      const [record] = await eventsOf(s, phoneNumber);
      expect(record).toMatchObject({ status: 'pending', lastStatusCode: null });
      expect(record!.attempts).toBeGreaterThanOrEqual(2);
      expect(record!.lastError).toBeTruthy();
    });

    const r = await receiver({ port });
    await eventually(async () => {
      expect(r.hits.filter((h) => h.eventId === event!.id).length).toBeGreaterThanOrEqual(1);
      const [record] = await eventsOf(s, phoneNumber);
      expect(record).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
    });
    const hit = r.hits.find((h) => h.eventId === event!.id)!;
    expectSigned(s, secret, hit);
    expect(hit.payload!.Data).toMatchObject({ PhoneNumber: phoneNumber, NameStatus: 'Approval' });
  });

  it('a redirect is not followed: the attempt counts as failed and is retried at the registered URL', async () => {
    const elsewhere = await receiver({ name: 'elsewhere' });
    const r = await receiver({
      respond: (attempt) => (attempt === 1 ? { status: 302, headers: { location: elsewhere.url } } : 200),
    });
    const space = s.root.custSpaceId;
    const phoneNumber = await addNumber(space, r.url);
    await nameDecision(space, phoneNumber);
    const delivered = await eventually(async () => {
      const [record] = await eventsOf(s, phoneNumber);
      expect(record?.status).toBe('delivered');
      return record!;
    });
    expect(delivered).toMatchObject({ attempts: 2, lastStatusCode: 200 });
    expect(r.hits.map((h) => h.answered)).toEqual([302, 200]);
    expect(elsewhere.hits).toEqual([]);
  });

  it('a receiver that does not answer within timeoutMs gets the same event again', async () => {
    const r = await receiver({ respond: (attempt) => (attempt === 1 ? 'hang' : 200) });
    const space = s.root.custSpaceId;
    const phoneNumber = await addNumber(space, r.url);
    await nameDecision(space, phoneNumber);
    const delivered = await eventually(async () => {
      const [record] = await eventsOf(s, phoneNumber);
      expect(record?.status).toBe('delivered');
      return record!;
    });
    expect(delivered).toMatchObject({ attempts: 2, lastStatusCode: 200 });
    expect(r.hits.map((h) => h.answered)).toEqual(['hang', 200]);
    expect(r.hits[0]!.body).toBe(r.hits[1]!.body);
    expect(r.hits[0]!.eventId).toBe(delivered.id);
    expect(r.hits[1]!.eventId).toBe(delivered.id);
  });

  it("UpdateAccountWebhook sets the space's fallback URL, used by numbers without their own", async () => {
    const fallback = await receiver({ name: 'space' });
    const own = await receiver({ name: 'number' });
    const space = (await s.app.spaces.create(s.root.accountId, { name: 'fallback space' })).id;
    const res = await setAccountWebhook(c, space, { statusCallbackUrl: fallback.url });
    expect(res.body?.code).toBe('OK');
    const withoutUrl = await addNumber(space, null);
    const withUrl = await addNumber(space, own.url);
    await nameDecision(space, withoutUrl, withUrl);

    expect((await eventsOf(s, withoutUrl)).map((e) => e.url)).toEqual([fallback.url]);
    expect((await eventsOf(s, withUrl)).map((e) => e.url)).toEqual([own.url]);
    await eventually(() => {
      expect(fallback.of(withoutUrl)).toHaveLength(1);
      expect(own.of(withUrl)).toHaveLength(1);
    });
    expect(fallback.hits).toHaveLength(1);
    expect(own.hits).toHaveLength(1);
    expectSigned(s, secret, fallback.hits[0]!);
    expect(fallback.hits[0]!.payload!.Data).toMatchObject({ CustSpaceId: space, PhoneNumber: withoutUrl });
  });

  it('HttpFlag N on the space stops deliveries to its fallback URL, not to numbers with their own', async () => {
    const fallback = await receiver({ name: 'space' });
    const own = await receiver({ name: 'number' });
    const space = (await s.app.spaces.create(s.root.accountId, { name: 'silent space' })).id;
    await setAccountWebhook(c, space, { statusCallbackUrl: fallback.url, httpFlag: 'N' });
    const withoutUrl = await addNumber(space, null);
    const withUrl = await addNumber(space, own.url);

    await verifyAndRegisterNumber(space, withoutUrl);
    await verifyAndRegisterNumber(space, withUrl);
    expect((await queryOne(c, space, withoutUrl))?.status).toBe('CONNECTED');
    expect(await eventsOf(s, withoutUrl)).toEqual([]);

    // The number with its own URL is the sentinel: once its events arrived, the space's would have too.
    const expected = (await eventsOf(s, withUrl)).length;
    expect(expected).toBeGreaterThan(0);
    await eventually(() => expect(own.of(withUrl)).toHaveLength(expected));
    expect(fallback.hits).toEqual([]);
  });

  it('HttpFlag N on a number stops its deliveries; HttpFlag Y resumes them', async () => {
    const r = await receiver();
    const space = s.root.custSpaceId;
    const phoneNumber = await addNumber(space, r.url);
    expect((await setPhoneWebhook(c, space, phoneNumber, { httpFlag: 'N' })).body?.code).toBe('OK');
    // HttpFlag alone leaves the URL as it was.
    expect((await queryOne(c, space, phoneNumber))?.statusCallbackUrl).toBe(r.url);

    await verifyAndRegisterNumber(space, phoneNumber);
    expect((await queryOne(c, space, phoneNumber))?.status).toBe('CONNECTED');
    expect(await eventsOf(s, phoneNumber)).toEqual([]);

    await setPhoneWebhook(c, space, phoneNumber, { httpFlag: 'Y' });
    await deregister(c, space, phoneNumber);
    const events = await eventsOf(s, phoneNumber);
    expect(events.map((e) => e.payload.Data)).toEqual([
      expect.objectContaining({
        Status: 'DISCONNECTED',
        ChangedFields: ['Status'],
        Previous: { Status: 'CONNECTED' },
      }),
    ]);
    await eventually(() => expect(r.hits).toHaveLength(1));
    expect(r.hits[0]!.eventId).toBe(events[0]!.id);
    expectSigned(s, secret, r.hits[0]!);
  });
});

describe('webhook delivery of changes found by the background reconciler', () => {
  let s: TestServer;
  let c: Client;

  beforeAll(async () => {
    s = await startServer(
      { CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true', CAMS_SYNC_INTERVAL_MS: '100' },
      { webhookOptions: WEBHOOK_OPTIONS },
    );
    c = client(s, s.root);
  });
  afterAll(() => s.close());

  it('a display-name decision made upstream on its own reaches the webhook without any API call', async () => {
    const r = await receiver();
    const space = s.root.custSpaceId;
    const national = '13800137900';
    const phoneNumber = e164(national);
    await add(c, space, national);
    await setPhoneWebhook(c, space, phoneNumber, { statusCallbackUrl: r.url });
    expect((await queryOne(c, space, phoneNumber))?.nameStatus).toBe('Pending_Review');
    const secret = await s.app.webhooks.signingSecret(s.root.accountId);

    // From here on no API call: only simulator time moves, and the reconciler notices.
    await s.app.simulator.advanceClock(NAME_REVIEW_MS);
    const hit = await eventually(() => {
      const found = r.of(phoneNumber).find((h) => h.payload?.Data.ChangedFields.includes('NameStatus'));
      expect(found).toBeDefined();
      return found!;
    });
    expectSigned(s, secret, hit);
    expect(hit.payload!.Data).toMatchObject({
      CustSpaceId: space,
      PhoneNumber: phoneNumber,
      NameStatus: 'Approval',
      ChangedFields: ['NameStatus'],
      Previous: { NameStatus: 'Pending_Review' },
    });
    await eventually(async () => {
      const [record] = (await s.app.webhooks.listEvents(s.root.accountId)).filter(
        (e) => e.id === hit.eventId,
      );
      expect(record?.status).toBe('delivered');
    });
  });
});
