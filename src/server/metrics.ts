import { AUTHENTICATION_CODES } from '../gateway/authenticate.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the gateway tells about each answered request. */
export interface RequestObservation {
  /** The implemented action the request named; `unknown` for any other name, `none` when it named none. */
  readonly action: string;
  /** The answer's Code: `OK` or a catalogued error code. */
  readonly code: string;
  readonly status: number;
  readonly seconds: number;
}

/** What the webhook backlog gauge reads at scrape time (the outbox is shared by every instance). */
export type BacklogSource = () => Promise<{ pending: number; failed: number }>;

/** Seconds: from a fast in-process answer (0.5 ms) to the slowest an upstream call may take (30 s). */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds: a commit or fsync takes from microseconds (page cache) to tens of milliseconds (disk). */
const DISK_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

/**
 * The service's Prometheus metrics (README "Metrics"), in a registry of their own: one per app, so
 * two apps in one process (tests) never mix their counts. Every label has a bounded set of values:
 * action names outside the implemented set are counted as `unknown`, codes come from the catalogue.
 * The parts that produce observations (gateway, upstream, webhooks, reconciler, store) take plain
 * callbacks; only the composition root connects them to this.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'action' | 'code' | 'status'>;
  readonly #latency: Histogram<'action'>;
  readonly #flowControl: Counter<'action'>;
  readonly #ramDenials: Counter<'action'>;
  readonly #authFailures: Counter<'code'>;
  readonly #upstreamCalls: Counter<'operation' | 'outcome'>;
  readonly #upstreamLatency: Histogram<'operation'>;
  readonly #webhookAttempts: Counter<'outcome'>;
  readonly #webhookLatency: Histogram;
  readonly #commitWait: Histogram;
  readonly #fsync: Histogram;
  readonly #reconcilePasses: Histogram;
  /** Per (action, Code, status): bounded, as the labels are. */
  readonly #children = new Map<
    string,
    {
      requests: { inc(): void };
      latency: { observe(value: number): void };
      refusal: { inc(): void } | undefined;
    }
  >();
  /** When the last reconciler pass ended (the start, before the first one), for the lag gauge. */
  readonly #reconciled = { at: Date.now() };

  constructor(options: { backlog?: BacklogSource; onCollectError?: (error: unknown) => void } = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    this.#requests = new Counter({
      name: 'cams_requests_total',
      help: 'CAMS API requests answered, by action, Code and HTTP status.',
      labelNames: ['action', 'code', 'status'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'cams_request_duration_seconds',
      help: 'Time from the first byte of the body to the answer, by action (writes included).',
      labelNames: ['action'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#flowControl = new Counter({
      name: 'cams_flow_control_rejections_total',
      help: 'Requests refused with System.LimitControl (per-user QPS of the action).',
      labelNames: ['action'],
      registers,
    });
    this.#ramDenials = new Counter({
      name: 'cams_ram_denials_total',
      help: 'Requests refused with Ram.PermissionDeny.',
      labelNames: ['action'],
      registers,
    });
    this.#authFailures = new Counter({
      name: 'cams_authentication_failures_total',
      help: 'Requests refused for their signature, timestamp, nonce or AccessKeyId, by Code.',
      labelNames: ['code'],
      registers,
    });
    this.#upstreamCalls = new Counter({
      name: 'cams_upstream_calls_total',
      help: 'Calls to the WhatsApp provider (Meta or the simulator), by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.#upstreamLatency = new Histogram({
      name: 'cams_upstream_call_duration_seconds',
      help: 'Duration of calls to the WhatsApp provider, by operation (retries included).',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#webhookAttempts = new Counter({
      name: 'cams_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered, retry (will be tried again), failed (gave up), breaker_open (not attempted: the receiver is cooling down).',
      labelNames: ['outcome'],
      registers,
    });
    this.#webhookLatency = new Histogram({
      name: 'cams_webhook_attempt_duration_seconds',
      help: 'Duration of webhook delivery attempts, from DNS to the response.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const backlog = options.backlog;
    const onCollectError = options.onCollectError ?? (() => undefined);
    new Gauge({
      name: 'cams_webhook_backlog',
      help: 'Webhook events in the outbox by status: pending (to deliver or retry), failed (dead letters).',
      labelNames: ['status'],
      registers,
      async collect() {
        if (backlog === undefined) return;
        try {
          const counts = await backlog();
          this.set({ status: 'pending' }, counts.pending);
          this.set({ status: 'failed' }, counts.failed);
        } catch (error) {
          // A scrape while the store is away still answers the other metrics.
          this.reset();
          onCollectError(error);
        }
      },
    });
    this.#commitWait = new Histogram({
      name: 'cams_store_commit_wait_seconds',
      help: 'How long a unit of work waited for its writes to be durable (group commit and fsync on SQLite).',
      buckets: DISK_BUCKETS,
      registers,
    });
    this.#fsync = new Histogram({
      name: 'cams_store_fsync_duration_seconds',
      help: "Duration of the fsyncs of SQLite's write-ahead log (none on PostgreSQL).",
      buckets: DISK_BUCKETS,
      registers,
    });
    this.#reconcilePasses = new Histogram({
      name: 'cams_reconciler_pass_duration_seconds',
      help: 'Duration of the reconciler passes that re-read numbers from upstream.',
      buckets: [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    });
    const reconciled = this.#reconciled;
    new Gauge({
      name: 'cams_reconciler_lag_seconds',
      help: 'Seconds since the last reconciler pass finished (since the start, before the first one).',
      registers,
      collect() {
        this.set((Date.now() - reconciled.at) / 1000);
      },
    });
  }

  request(o: RequestObservation): void {
    // The labelled children of one (action, Code, status), looked up once: label checks and hashing
    // are most of prom-client's cost per call (docs/PERFORMANCE.md, "Metrics").
    const key = `${o.action} ${o.code} ${o.status}`;
    let child = this.#children.get(key);
    if (child === undefined) {
      child = {
        requests: this.#requests.labels(o.action, o.code, String(o.status)),
        latency: this.#latency.labels(o.action),
        refusal:
          o.code === 'System.LimitControl'
            ? this.#flowControl.labels(o.action)
            : o.code === 'Ram.PermissionDeny'
              ? this.#ramDenials.labels(o.action)
              : AUTHENTICATION_CODES.has(o.code)
                ? this.#authFailures.labels(o.code)
                : undefined,
      };
      this.#children.set(key, child);
    }
    child.requests.inc();
    child.latency.observe(o.seconds);
    child.refusal?.inc();
  }

  upstreamCall(operation: string, outcome: string, seconds: number): void {
    this.#upstreamCalls.labels(operation, outcome).inc();
    this.#upstreamLatency.labels(operation).observe(seconds);
  }

  /** `seconds` is absent for `breaker_open`: no attempt was made, so there is no duration to observe. */
  webhookAttempt(outcome: 'delivered' | 'retry' | 'failed' | 'breaker_open', seconds?: number): void {
    this.#webhookAttempts.labels(outcome).inc();
    if (seconds !== undefined) this.#webhookLatency.observe(seconds);
  }

  commitWait(seconds: number): void {
    this.#commitWait.observe(seconds);
  }

  fsync(seconds: number): void {
    this.#fsync.observe(seconds);
  }

  reconcilePass(seconds: number): void {
    this.#reconcilePasses.observe(seconds);
    this.#reconciled.at = Date.now();
  }
}
