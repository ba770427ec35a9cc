/**
 * Webhook fairness, black box: tenant A's receiver is a tar pit (it accepts the connection and never
 * answers, or trickles the head of an answer it never finishes); tenant B's answers at once. Every event
 * comes from SDK calls (a display-name decision read through GetPhoneNumberVerificationStatus). B's event
 * must arrive while A's attempts are still hanging; A's receiver's circuit breaker opens, A's events wait
 * in the outbox without attempts, and all of them are delivered once A's receiver answers again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookEventRecord } from '../../src/webhooks/index.js';
import { CamsModels, startServer, type TestServer } from '../support/server.js';
import {
  add,
  client,
  e164,
  NAME_REVIEW_MS,
  newTenant,
  numbers,
  OPERATOR_TOKEN,
  verificationStatus,
  type Client,
  type Tenant,
} from '../lifecycle/helpers.js';
import { eventually, startReceiver, type Receiver } from './receiver.js';
import { startTarPit, type TarPit, type TarPitKind } from './tar-pit.js';

/** Long enough to tell a prompt delivery (well under 2 s) from one that waited for A's attempts to end. */
const TIMEOUT_MS = 3_500;
const COOLDOWN_MS = 1_500;
/** B's event must arrive within this, however loaded the machine: far below A's attempt timeout. */
const PROMPT_MS = 2_000;
const A_EVENTS = 10;

const next = numbers(8600);
let s: TestServer;
let cleanups: Array<() => Promise<void>>;

beforeEach(async () => {
  cleanups = [];
  s = await startServer(
    {
      CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true',
      CAMS_SYNC_INTERVAL_MS: '0',
      CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
      // Through the configuration, as an operator sets them (the slot shares keep their defaults: 8, 2, 2).
      CAMS_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      CAMS_WEBHOOK_BREAKER_THRESHOLD: '2',
      CAMS_WEBHOOK_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
    },
    { webhookOptions: { backoffBaseMs: 50, backoffMaxMs: 200, pollIntervalMs: 50 } },
  );
});
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await s.close();
});

async function tarPit(kind: TarPitKind): Promise<TarPit> {
  const pit = await startTarPit(kind);
  cleanups.push(() => pit.close());
  return pit;
}

async function receiver(port?: number): Promise<Receiver> {
  const r = await startReceiver(port === undefined ? {} : { port });
  cleanups.push(() => r.close());
  return r;
}

function events(accountId: string): Promise<WebhookEventRecord[]> {
  return s.app.webhooks.listEvents(accountId, { limit: 1000 });
}

/** One sample of GET /metrics (0 when absent), read as Prometheus reads it. */
async function scrape(name: string, labels: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`http://${s.endpoint}/metrics`, {
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
  });
  const text = await res.text();
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const wanted = `${name}${pairs.length === 0 ? '' : `{${pairs.join(',')}}`} `;
  const line = text.split('\n').find((l) => l.startsWith(wanted));
  return line === undefined ? 0 : Number(line.slice(wanted.length));
}

/** Adds numbers to the tenant's space; with a space-wide URL each display-name decision is one event. */
async function addNumbers(c: Client, t: Tenant, count: number): Promise<string[]> {
  const phoneNumbers: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const national = next();
    expect((await add(c, t.custSpaceId, national)).body?.code).toBe('OK');
    phoneNumbers.push(e164(national));
  }
  return phoneNumbers;
}

async function setSpaceWebhook(c: Client, t: Tenant, url: string): Promise<void> {
  const res = await c.updateAccountWebhook(
    new CamsModels.UpdateAccountWebhookRequest({ custSpaceId: t.custSpaceId, statusCallbackUrl: url }),
  );
  expect(res.body?.code).toBe('OK');
}

describe.each(['silent', 'trickle'] as const)('a %s tar pit of one tenant', (kind) => {
  it("does not delay another tenant's webhook; its own events wait behind its circuit breaker and arrive once it recovers", async () => {
    const a: Tenant = { ...s.root };
    const b = await newTenant(s, 'tenant b');
    const [ca, cb] = [client(s, a), client(s, b)];

    // Tenant A: ten events for a receiver that never answers, more than the 8 delivery slots.
    const pit = await tarPit(kind);
    await setSpaceWebhook(ca, a, pit.url);
    const aNumbers = await addNumbers(ca, a, A_EVENTS);
    await s.app.simulator.advanceClock(NAME_REVIEW_MS);
    for (const phoneNumber of aNumbers) await verificationStatus(ca, a.custSpaceId, phoneNumber);
    expect(await events(a.accountId)).toHaveLength(A_EVENTS);
    // A's attempts are hanging in the tar pit.
    await eventually(() => expect(pit.connections.length).toBeGreaterThanOrEqual(2));

    // Tenant B: one event for a healthy receiver.
    const healthy = await receiver();
    await setSpaceWebhook(cb, b, healthy.url);
    const [bNumber] = await addNumbers(cb, b, 1);
    await s.app.simulator.advanceClock(NAME_REVIEW_MS);
    const caused = Date.now();
    await verificationStatus(cb, b.custSpaceId, bNumber!);
    await eventually(() => expect(healthy.of(bNumber!)).toHaveLength(1), PROMPT_MS);
    const waited = Date.now() - caused;
    expect(waited).toBeLessThan(PROMPT_MS);
    // ... while none of A's events got through.
    expect((await events(a.accountId)).filter((e) => e.status !== 'pending')).toEqual([]);
    // The receiver answered; the outcome is recorded right after.
    const bEvent = await eventually(async () => {
      const [record] = await events(b.accountId);
      expect(record).toMatchObject({ status: 'delivered', attempts: 1 });
      return record;
    });
    expect(healthy.hits[0]!.eventId).toBe(bEvent!.id);

    // A's attempts time out; after two in a row the breaker opens: A's other events are not attempted
    // during the cool-down, they wait in the outbox (attempts not counted) with the reason recorded.
    const opened = await eventually(() => {
      const line = s.logs.find((l) => String(l.msg).startsWith('webhook receiver circuit breaker open'));
      expect(line).toBeDefined();
      return line!;
    }, 3 * TIMEOUT_MS);
    expect(opened).toMatchObject({
      level: 40,
      receiver: `http://127.0.0.1:${pit.port}`,
      accountId: a.accountId,
    });
    const deferred = await eventually(async () => {
      const waiting = (await events(a.accountId)).filter(
        (e) => e.attempts === 0 && /^not attempted: circuit breaker open/.test(e.lastError ?? ''),
      );
      expect(waiting.length).toBeGreaterThanOrEqual(A_EVENTS - 4);
      return waiting;
    });
    for (const e of deferred) {
      expect(e.status).toBe('pending');
      expect(Date.parse(e.nextAttemptAt)).toBeGreaterThan(Number(opened.time));
    }
    // Nothing reached the tar pit in the cool-down but, at most, the one attempt claimed as it opened
    // (when the first of A's two attempts failed, its slot went to the next event before the second
    // failed); without the breaker A's slots would take the next events at once.
    const openedAt = Number(opened.time);
    await eventually(() => expect(Date.now()).toBeGreaterThan(openedAt + COOLDOWN_MS), 2 * COOLDOWN_MS);
    const inCooldown = pit.connections.filter((t) => t > openedAt && t < openedAt + COOLDOWN_MS - 100);
    expect(inCooldown.length).toBeLessThanOrEqual(1);
    expect(await scrape('cams_webhook_attempts_total', { outcome: 'breaker_open' })).toBeGreaterThanOrEqual(
      deferred.length,
    );
    expect(await scrape('cams_webhook_attempts_total', { outcome: 'retry' })).toBeGreaterThanOrEqual(2);

    // A's receiver comes back on the same port: every event arrives, each acknowledged exactly once.
    await pit.close();
    const recovered = await receiver(pit.port);
    const final = await eventually(
      async () => {
        const all = await events(a.accountId);
        expect(all.map((e) => e.status)).toEqual(all.map(() => 'delivered'));
        return all;
      },
      6 * TIMEOUT_MS,
      100,
    );
    expect(final).toHaveLength(A_EVENTS);
    const acknowledged = recovered.hits.filter((h) => h.answered === 200).map((h) => h.eventId);
    expect(acknowledged.sort()).toEqual(final.map((e) => e.id).sort());
    expect(new Set(recovered.hits.map((h) => h.payload?.Data.PhoneNumber))).toEqual(new Set(aNumbers));
    // Every counted attempt reached one of the two receivers (one may have hit the port between them).
    const attempts = final.reduce((sum, e) => sum + e.attempts, 0);
    const seen = pit.connections.length + recovered.hits.length;
    expect(attempts).toBeGreaterThanOrEqual(seen);
    expect(attempts).toBeLessThanOrEqual(seen + 1);
    // Only attempts made have a duration: the deferrals are counted apart.
    const made = await Promise.all(
      ['delivered', 'retry', 'failed'].map((outcome) => scrape('cams_webhook_attempts_total', { outcome })),
    );
    expect(made.reduce((x, y) => x + y, 0)).toBe(attempts + 1);
    expect(await scrape('cams_webhook_attempt_duration_seconds_count')).toBe(attempts + 1);
    // B got its one event, once.
    expect(healthy.hits).toHaveLength(1);
    expect(s.logs.some((l) => l.msg === 'webhook receiver circuit breaker closed')).toBe(true);
  });
});
