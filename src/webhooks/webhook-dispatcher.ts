import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { durably, type Durably } from '../store/index.js';
import { backoffDelayMs } from './backoff.js';
import { parseCallbackUrl, redactUrl, systemLookup, type HostLookup } from './callback-url.js';
import { CircuitBreakers, originOf } from './circuit-breaker.js';
import { DeliverySlots, type SlotKey } from './delivery-slots.js';
import { resolveWebhookOptions, type WebhookOptions } from './options.js';
import {
  WebhookOutbox,
  type WebhookAttempt,
  type ClaimedEvent,
  type DueEvent,
  type WebhookEventFilter,
  type WebhookEventRecord,
} from './outbox.js';
import { renderPayload, type WebhookEvent } from './payload.js';
import { postWebhook, type PostOutcome } from './post-webhook.js';
import { signedHeaders } from './signature.js';
import { SigningSecrets } from './signing-secrets.js';
import type { WebhookTables } from './tables.js';

export interface WebhookDispatcherDeps {
  /** Any Kysely whose database has the webhook tables (callers cast their full schema). */
  readonly db: Kysely<WebhookTables>;
  readonly box: SecretBox;
  /** Schedules attempts and leases; polling itself runs on real timers. */
  readonly clock: Clock;
  readonly log: Logger;
  readonly options?: Partial<WebhookOptions>;
  /** DNS resolution of callback hosts; tests map names to local addresses without the network. */
  readonly lookup?: HostLookup;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  /**
   * Told how each attempt ended and how long it took, and of each event not attempted because its
   * receiver's circuit breaker was open (`breaker_open`, no duration): the webhook metrics.
   */
  readonly onAttempt?: (outcome: WebhookAttemptOutcome, seconds?: number) => void;
}

/** How an attempt ended; `breaker_open`: not made, the event waits for the receiver's cool-down. */
export type WebhookAttemptOutcome = 'delivered' | 'retry' | 'failed' | 'breaker_open';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Transactional outbox + at-least-once delivery of signed webhooks. Events survive restarts (they are
 * rows); any number of dispatchers may share one database, each attempt being leased to one of them.
 */
export class WebhookDispatcher {
  readonly options: WebhookOptions;
  readonly #outbox: WebhookOutbox;
  readonly #durably: Durably;
  readonly #secrets: SigningSecrets;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #lookup: HostLookup;
  readonly #random: () => number;
  readonly #onAttempt: WebhookDispatcherDeps['onAttempt'];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #slots: DeliverySlots;
  readonly #breakers: CircuitBreakers;
  #running = false;
  #loop: Promise<void> | undefined;
  #woken = false;
  #interruptSleep: (() => void) | undefined;

  constructor(deps: WebhookDispatcherDeps) {
    this.options = resolveWebhookOptions(deps.options);
    this.#durably = durably(deps.db);
    this.#outbox = new WebhookOutbox(deps.db);
    this.#secrets = new SigningSecrets(deps.db, deps.box, deps.clock);
    this.#clock = deps.clock;
    this.#log = deps.log.child({ component: 'webhooks' });
    this.#lookup = deps.lookup ?? systemLookup;
    this.#random = deps.random ?? Math.random;
    this.#onAttempt = deps.onAttempt;
    this.#slots = new DeliverySlots({
      concurrency: this.options.concurrency,
      perAccount: this.options.concurrencyPerAccount,
      perOrigin: this.options.concurrencyPerOrigin,
    });
    this.#breakers = new CircuitBreakers({
      threshold: this.options.breakerThreshold,
      cooldownMs: this.options.breakerCooldownMs,
    });
  }

  /** Events waiting for delivery and dead letters, in the whole (possibly shared) outbox. */
  backlog(): Promise<{ pending: number; failed: number }> {
    return this.#outbox.backlog();
  }

  /**
   * Stores an event for delivery and wakes the dispatcher. Pass `within` (a transaction) to commit the
   * event atomically with the state change it reports. Throws CallbackUrlError for a URL that can
   * never be delivered to (scheme, credentials, forbidden IP literal) and WebhookEventError for a bad
   * type or data; resolving the host is left to delivery time.
   */
  async enqueue(
    accountId: string,
    event: WebhookEvent,
    within?: Kysely<WebhookTables>,
  ): Promise<{ eventId: string }> {
    parseCallbackUrl(event.url, this.options.urlPolicy);
    const eventId = randomUUID();
    const now = this.#clock.now();
    const body = renderPayload(eventId, accountId, event, now);
    await this.#outbox.insert(
      { id: eventId, accountId, url: event.url, type: event.type, body, nowIso: iso(now) },
      within,
    );
    this.#wake();
    return { eventId };
  }

  /** The account's current signing secret (generated on first need), for the operator to hand out. */
  signingSecret(accountId: string): Promise<string> {
    return this.#secrets.get(accountId);
  }

  /** Replaces the signing secret; attempts signed after this use the new one. */
  rotateSigningSecret(accountId: string): Promise<string> {
    return this.#secrets.rotate(accountId);
  }

  listEvents(accountId: string, filter?: WebhookEventFilter): Promise<WebhookEventRecord[]> {
    return this.#outbox.list(accountId, filter);
  }

  /** Every delivery attempt of the account's event, oldest first; undefined for no such event. */
  listAttempts(accountId: string, eventId: string): Promise<WebhookAttempt[] | undefined> {
    return this.#outbox.attempts(accountId, eventId);
  }

  /** Gives a `failed` or `delivered` event a fresh attempt budget; false when no such event exists. */
  async redeliver(accountId: string, eventId: string): Promise<boolean> {
    const requeued = await this.#outbox.requeue(accountId, eventId, iso(this.#clock.now()));
    if (requeued) this.#wake();
    return requeued;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops polling and waits for deliveries in flight, whose outcomes are recorded before it resolves. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake();
    await this.#loop;
    this.#loop = undefined;
    await Promise.all(this.#inFlight);
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#woken = false;
      try {
        await this.#fill();
      } catch (error) {
        this.#log.error({ err: error }, 'webhook outbox poll failed');
      }
      if (this.#running) await this.#sleep();
    }
  }

  /**
   * Claims due rows up to the free slots and starts delivering them, fairly: the candidates hold at most
   * `concurrencyPerAccount` rows of each account (oldest first, accounts interleaved), an account or
   * receiver origin at its share of the slots waits for one of its own deliveries to end, and the
   * events of a receiver whose circuit breaker is open are deferred to the end of its cool-down.
   */
  async #fill(): Promise<void> {
    const free = this.#slots.free;
    if (free <= 0) return;
    const now = this.#clock.now();
    const perAccount = this.options.concurrencyPerAccount;
    // Each account already in flight may take up to perAccount places with rows it cannot start now.
    const window = free + this.#slots.inFlight * perAccount;
    for (const candidate of await this.#outbox.due(iso(now), window, perAccount)) {
      if (!this.#running || this.#slots.free <= 0) return;
      const key: SlotKey = { accountId: candidate.accountId, origin: originOf(candidate.url) };
      const verdict = this.#breakers.check(key.origin, now);
      if (verdict.state === 'open') {
        await this.#defer(candidate, now, verdict.until, verdict.failures);
        continue;
      }
      if (verdict.state === 'probing' || !this.#slots.allows(key)) continue;
      // Never announce a change before it is durable: the claim's unit of work waits for every write
      // issued so far, the change and its event included (they may share a commit not yet made).
      const claimed = await this.#durably(() =>
        this.#outbox.claim(candidate, iso(now), iso(now + this.options.leaseMs), randomUUID()),
      );
      if (claimed === undefined) continue; // another dispatcher took it
      this.#slots.take(key);
      this.#breakers.started(key.origin, this.#clock.now());
      const delivery = this.#deliver(claimed, key).finally(() => {
        this.#slots.release(key);
        this.#inFlight.delete(delivery);
        this.#wake(); // a slot is free: look for more work now rather than at the next tick
      });
      this.#inFlight.add(delivery);
    }
  }

  /** Leaves the due events of an open-breaker receiver in the outbox, due again when the cool-down ends. */
  async #defer(candidate: DueEvent, now: number, until: number, failures: number): Promise<void> {
    const reason = `not attempted: circuit breaker open after ${failures} consecutive failures of this receiver`;
    const deferred = await this.#outbox.deferUrl(candidate.url, iso(now), iso(until), reason);
    for (let i = 0; i < deferred; i += 1) this.#onAttempt?.('breaker_open');
    if (deferred > 0) {
      this.#log.debug(
        {
          accountId: candidate.accountId,
          url: redactUrl(candidate.url),
          deferred,
          nextAttemptAt: iso(until),
        },
        'webhook events deferred: receiver circuit breaker open',
      );
    }
  }

  async #deliver(event: ClaimedEvent, key: SlotKey): Promise<void> {
    const started = performance.now();
    let outcome: PostOutcome = { ok: false, statusCode: null, error: 'attempt did not complete' };
    try {
      outcome = await postWebhook({
        url: event.url,
        body: event.body,
        headers: async () =>
          signedHeaders(await this.#secrets.get(event.accountId), event.id, this.#clock.now(), event.body),
        policy: this.options.urlPolicy,
        lookup: this.#lookup,
        timeoutMs: this.options.timeoutMs,
        maxResponseBytes: this.options.maxResponseBytes,
      });
    } finally {
      this.#breakerEnded(key, outcome);
    }
    this.#onAttempt?.(
      outcome.ok ? 'delivered' : event.attempts >= this.options.maxAttempts ? 'failed' : 'retry',
      (performance.now() - started) / 1000,
    );
    try {
      await this.#record(event, outcome);
    } catch (error) {
      // The lease expires and the attempt is made again: at least once, never lost.
      this.#log.error({ err: error, eventId: event.id }, 'could not record webhook attempt');
    }
  }

  #breakerEnded(key: SlotKey, outcome: PostOutcome): void {
    const change = this.#breakers.ended(key.origin, outcome.ok, this.#clock.now());
    // An origin is scheme, host and port only: no credentials, path or query to redact.
    const receiver = key.origin;
    if (change === 'opened') {
      this.#log.warn(
        {
          receiver,
          accountId: key.accountId,
          error: outcome.ok ? undefined : outcome.error,
          cooldownMs: this.options.breakerCooldownMs,
        },
        'webhook receiver circuit breaker open: its events wait in the outbox for the cool-down',
      );
    } else if (change === 'closed') {
      this.#log.info({ receiver, accountId: key.accountId }, 'webhook receiver circuit breaker closed');
    }
  }

  async #record(event: ClaimedEvent, outcome: PostOutcome): Promise<void> {
    const now = this.#clock.now();
    const context = {
      eventId: event.id,
      accountId: event.accountId,
      url: redactUrl(event.url),
      attempt: event.attempts,
    };
    let recorded: boolean;
    if (outcome.ok) {
      recorded = await this.#outbox.finish(event, 'delivered', {
        statusCode: outcome.statusCode,
        error: null,
        nowIso: iso(now),
      });
      this.#log.info({ ...context, statusCode: outcome.statusCode }, 'webhook delivered');
    } else if (event.attempts >= this.options.maxAttempts) {
      const attempt = { statusCode: outcome.statusCode, error: outcome.error, nowIso: iso(now) };
      recorded = await this.#outbox.finish(event, 'failed', attempt);
      this.#log.warn(
        { ...context, error: outcome.error },
        'webhook failed permanently after the last attempt',
      );
    } else {
      const next = iso(now + backoffDelayMs(event.attempts, this.options, this.#random));
      const attempt = { statusCode: outcome.statusCode, error: outcome.error, nowIso: iso(now) };
      recorded = await this.#outbox.finish(event, 'pending', attempt, next);
      this.#log.info(
        { ...context, error: outcome.error, nextAttemptAt: next },
        'webhook attempt failed, will retry',
      );
    }
    if (!recorded) this.#log.warn(context, 'webhook lease expired before the attempt was recorded');
  }

  #sleep(): Promise<void> {
    if (this.#woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.#interruptSleep = done;
    });
  }

  #wake(): void {
    this.#woken = true;
    this.#interruptSleep?.();
  }
}
