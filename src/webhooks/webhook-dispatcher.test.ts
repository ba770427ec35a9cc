import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock, type Clock } from '../clock.js';
import { createLogger } from '../log/logger.js';
import type { HostLookup } from './callback-url.js';
import { CallbackUrlError, verifyWebhookSignature, WebhookDispatcher, type WebhookOptions } from './index.js';
import {
  startReceiver,
  testStore,
  waitFor,
  type Behaviour,
  type Receiver,
  type TestStore,
} from './test-support.js';

const ACCOUNT = '1234567890123456';
const FAST: Partial<WebhookOptions> = {
  timeoutMs: 1_000,
  backoffBaseMs: 50,
  backoffMaxMs: 1_000,
  pollIntervalMs: 20,
  leaseMs: 5_000,
  urlPolicy: { allowLoopback: true, allowPrivate: false },
};

let store: TestStore;
let receivers: Receiver[];
let dispatchers: WebhookDispatcher[];
beforeEach(() => {
  store = testStore();
  receivers = [];
  dispatchers = [];
});
afterEach(async () => {
  await Promise.all(dispatchers.map((d) => d.stop()));
  await Promise.all(receivers.map((r) => r.close()));
  await store.cleanup();
});

async function receiver(behaviour?: (index: number) => Behaviour): Promise<Receiver> {
  const r = await startReceiver(behaviour);
  receivers.push(r);
  return r;
}

async function dispatcher(
  options: Partial<WebhookOptions> = {},
  extra: { clock?: Clock; lookup?: HostLookup; log?: ReturnType<typeof createLogger> } = {},
): Promise<WebhookDispatcher> {
  const d = new WebhookDispatcher({
    db: await store.open(),
    box: store.box,
    clock: extra.clock ?? systemClock,
    log: extra.log ?? createLogger('silent'),
    options: { ...FAST, ...options },
    random: () => 0,
    ...(extra.lookup ? { lookup: extra.lookup } : {}),
  });
  dispatchers.push(d);
  return d;
}

const event = (url: string) => ({
  url,
  type: 'PhoneNumberStatus',
  data: { PhoneNumber: '8613800138000', Status: 'VERIFIED' },
});

async function settled(d: WebhookDispatcher, eventId: string) {
  let found;
  await waitFor(async () => {
    found = (await d.listEvents(ACCOUNT)).find((e) => e.id === eventId);
    return found !== undefined && found.status !== 'pending';
  });
  return found!;
}

describe('WebhookDispatcher delivery', () => {
  it('POSTs the documented body with a signature verifyWebhookSignature accepts, and rejects when tampered', async () => {
    const r = await receiver();
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const d = await dispatcher({}, { clock });
    d.start();
    const { eventId } = await d.enqueue(ACCOUNT, event(r.url));
    await waitFor(() => r.requests.length === 1);
    const [request] = r.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/hooks/cams');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-cams-event-id']).toBe(eventId);
    expect(request!.headers['x-cams-timestamp']).toBe(String(clock.now() / 1000));
    expect(request!.headers['x-cams-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(JSON.parse(request!.body)).toEqual({
      EventId: eventId,
      EventType: 'PhoneNumberStatus',
      Timestamp: '2026-01-01T12:00:00.000Z',
      AccountId: ACCOUNT,
      Data: { PhoneNumber: '8613800138000', Status: 'VERIFIED' },
    });

    const secret = await d.signingSecret(ACCOUNT);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(verifyWebhookSignature(secret, request!.headers, request!.body, clock.now())).toBe(true);
    expect(
      verifyWebhookSignature(
        secret,
        request!.headers,
        request!.body.replace('VERIFIED', 'BANNED'),
        clock.now(),
      ),
    ).toBe(false);
    expect(verifyWebhookSignature('whsec_other', request!.headers, request!.body, clock.now())).toBe(false);
    expect(verifyWebhookSignature(secret, request!.headers, request!.body, clock.now() + 6 * 60_000)).toBe(
      false,
    );

    const delivered = await settled(d, eventId);
    expect(delivered).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
    });
    expect(delivered.deliveredAt).toBe('2026-01-01T12:00:00.000Z');
  });

  it('signs with the rotated secret after rotateSigningSecret, and keeps secrets encrypted at rest', async () => {
    const r = await receiver();
    const d = await dispatcher();
    const before = await d.signingSecret(ACCOUNT);
    expect(await d.signingSecret(ACCOUNT)).toBe(before);
    const after = await d.rotateSigningSecret(ACCOUNT);
    expect(after).not.toBe(before);
    expect(await d.signingSecret(ACCOUNT)).toBe(after);
    const db = await store.open();
    const row = await db.selectFrom('webhook_secrets').selectAll().executeTakeFirstOrThrow();
    expect(row.secret_sealed).toMatch(/^v1:/);
    expect(row.secret_sealed).not.toContain(after);

    d.start();
    await d.enqueue(ACCOUNT, event(r.url));
    await waitFor(() => r.requests.length === 1);
    const [request] = r.requests;
    expect(verifyWebhookSignature(after, request!.headers, request!.body, Date.now())).toBe(true);
    expect(verifyWebhookSignature(before, request!.headers, request!.body, Date.now())).toBe(false);
  });

  it('retries a 500 and a dropped connection with backoff, then delivers once with the same EventId', async () => {
    const r = await receiver((i) => (i === 0 ? 500 : i === 1 ? 'reset' : 200));
    const d = await dispatcher({ backoffBaseMs: 100 });
    d.start();
    const { eventId } = await d.enqueue(ACCOUNT, event(r.url));
    await waitFor(async () => (await d.listEvents(ACCOUNT))[0]?.lastError?.includes('HTTP 500') === true);
    await waitFor(async () => (await d.listEvents(ACCOUNT))[0]?.attempts === 2);
    const delivered = await settled(d, eventId);

    expect(r.requests).toHaveLength(3);
    expect(new Set(r.requests.map((q) => q.headers['x-cams-event-id']))).toEqual(new Set([eventId]));
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1);
    const [first, second, third] = r.requests.map((q) => q.at);
    expect(second! - first!).toBeGreaterThanOrEqual(100);
    expect(third! - second!).toBeGreaterThanOrEqual(200);
    expect(third! - first!).toBeLessThan(2_000);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(r.requests).toHaveLength(3);
  });

  it('dead-letters after maxAttempts with the last error kept, and redeliver gives it another chance', async () => {
    let status = 503;
    const r = await receiver(() => status);
    const d = await dispatcher({ maxAttempts: 3, backoffBaseMs: 10 });
    d.start();
    const { eventId } = await d.enqueue(ACCOUNT, event(r.url));
    const failed = await settled(d, eventId);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastStatusCode: 503,
      lastError: 'HTTP 503',
    });
    expect(r.requests).toHaveLength(3);
    expect(await d.listEvents(ACCOUNT, { status: 'failed' })).toHaveLength(1);

    status = 200;
    expect(await d.redeliver(ACCOUNT, eventId)).toBe(true);
    expect(await d.redeliver('6543210987654321', eventId)).toBe(false);
    expect(await settled(d, eventId)).toMatchObject({ status: 'delivered', attempts: 1 });

    // Every attempt is kept, numbered on across the redelivery; a delivered event may be sent again.
    const attempts = await d.listAttempts(ACCOUNT, eventId);
    expect(attempts?.map((a) => [a.attempt, a.statusCode, a.error, a.outcome])).toEqual([
      [1, 503, 'HTTP 503', 'pending'],
      [2, 503, 'HTTP 503', 'pending'],
      [3, 503, 'HTTP 503', 'failed'],
      [4, 200, null, 'delivered'],
    ]);
    expect(await d.listAttempts('6543210987654321', eventId)).toBeUndefined();
    expect(await d.redeliver(ACCOUNT, eventId)).toBe(true);
    expect(await settled(d, eventId)).toMatchObject({ status: 'delivered', deliveredAt: expect.any(String) });
    expect(r.requests).toHaveLength(5);
    expect((await d.listAttempts(ACCOUNT, eventId))?.at(-1)).toMatchObject({
      attempt: 5,
      outcome: 'delivered',
    });
  });

  it.each([
    ['a receiver that never answers', 'hang' as const, null, 'timed out after 300 ms'],
    ['a redirect', 302, 302, 'redirect not followed, HTTP 302'],
  ])('fails an attempt on %s', async (_name, behaviour, statusCode, error) => {
    const r = await receiver(() => behaviour);
    const d = await dispatcher({ maxAttempts: 1, timeoutMs: 300 });
    d.start();
    const { eventId } = await d.enqueue(ACCOUNT, event(r.url));
    expect(await settled(d, eventId)).toMatchObject({
      status: 'failed',
      lastStatusCode: statusCode,
      lastError: error,
    });
  });

  it('reads only a bounded part of a large response', async () => {
    const r = await receiver(() => ({ bodyBytes: 8 * 1024 * 1024 }));
    const d = await dispatcher();
    d.start();
    const { eventId } = await d.enqueue(ACCOUNT, event(r.url));
    expect(await settled(d, eventId)).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
  });
});

describe('WebhookDispatcher SSRF protection', () => {
  it('refuses a forbidden literal at enqueue time with a clear error', async () => {
    const d = await dispatcher({ urlPolicy: { allowLoopback: false, allowPrivate: false } });
    await expect(d.enqueue(ACCOUNT, event('http://127.0.0.1:9/hook'))).rejects.toThrow(CallbackUrlError);
    await expect(d.enqueue(ACCOUNT, event('ftp://example.com/'))).rejects.toThrow(/only http and https/);
    expect(await d.listEvents(ACCOUNT)).toEqual([]);
  });

  it('re-checks at delivery: a name that now resolves to loopback is not contacted', async () => {
    const r = await receiver();
    const lookup: HostLookup = async () => [{ address: '127.0.0.1', family: 4 }];
    const d = await dispatcher(
      { maxAttempts: 1, urlPolicy: { allowLoopback: false, allowPrivate: false } },
      { lookup },
    );
    d.start();
    const { eventId } = await d.enqueue(ACCOUNT, event(`http://hooks.example.test:${r.port}/hook`));
    const failed = await settled(d, eventId);
    expect(failed.lastError).toMatch(/hooks\.example\.test resolves to 127\.0\.0\.1, a loopback address/);
    expect(r.requests).toHaveLength(0);
  });

  it('connects to the address it checked, sending the original Host (no second DNS lookup)', async () => {
    const r = await receiver();
    const asked: string[] = [];
    const lookup: HostLookup = async (host) => {
      asked.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const d = await dispatcher({}, { lookup });
    d.start();
    const { eventId } = await d.enqueue(ACCOUNT, event(`http://hooks.example.test:${r.port}/hook`));
    expect(await settled(d, eventId)).toMatchObject({ status: 'delivered' });
    expect(r.requests[0]!.headers.host).toBe(`hooks.example.test:${r.port}`);
    expect(asked).toEqual(['hooks.example.test']);
  });

  it('logs neither the URL query nor the signing secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const r = await receiver((i) => (i === 0 ? 500 : 200));
    const d = await dispatcher({}, { log: createLogger('debug', sink) });
    d.start();
    const { eventId } = await d.enqueue(ACCOUNT, event(`${r.url}?token=s3cret-token`));
    await settled(d, eventId);
    const secret = await d.signingSecret(ACCOUNT);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).not.toContain('s3cret-token');
      expect(line).not.toContain(secret);
    }
  });
});
