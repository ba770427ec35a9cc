/**
 * Test support of the webhook tests: a local receiver (node:http on 127.0.0.1) that records every
 * delivery byte for byte, and `eventually`, which polls an assertion until a deadline.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got: headers and the raw body exactly as sent. */
export interface Hit {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The X-Cams-Event-Id header. */
  readonly eventId: string;
  /** The body, parsed (null when it is not JSON). */
  readonly payload: WebhookBody | null;
  readonly path: string;
  /** The status the receiver answered ('hang': it never answered). */
  readonly answered: number | 'hang';
}

/** The JSON a phone-number event carries. */
export interface WebhookBody {
  EventId: string;
  EventType: string;
  Timestamp: string;
  AccountId: string;
  Data: {
    CustSpaceId: string;
    PhoneNumber: string;
    Status: string;
    CodeVerificationStatus: string;
    NameStatus: string;
    NewNameStatus: string;
    /** Only while NameStatus is Rejected. */
    NameRejectionReason?: string;
    ChangedFields: string[];
    Previous: Record<string, string>;
  };
}

/** A status, a status with headers (e.g. a redirect's Location), or 'hang' (never answer). */
export type Answer = number | { status: number; headers: Record<string, string> } | 'hang';

/**
 * Decides the answer to each request: `attempt` counts the requests with this EventId so far,
 * this one included (1 for the first).
 */
export type Responder = (attempt: number, hit: Omit<Hit, 'answered'>) => Answer;

export interface Receiver {
  readonly port: number;
  /** `http://127.0.0.1:<port>/hooks/<name>`. */
  readonly url: string;
  readonly hits: Hit[];
  /** Hits of one phone number (Data.PhoneNumber). */
  of(phoneNumber: string): Hit[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 (port 0 picks a free one); it answers 200 unless `respond` says otherwise. */
export async function startReceiver(
  opts: { port?: number; respond?: Responder; name?: string } = {},
): Promise<Receiver> {
  const hits: Hit[] = [];
  const perEvent = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = String(req.headers['x-cams-event-id'] ?? '');
      let payload: WebhookBody | null = null;
      try {
        payload = JSON.parse(body) as WebhookBody;
      } catch {
        payload = null;
      }
      const attempt = (perEvent.get(eventId) ?? 0) + 1;
      perEvent.set(eventId, attempt);
      const seen = { headers: { ...req.headers }, body, eventId, payload, path: req.url ?? '' };
      const answer = opts.respond?.(attempt, seen) ?? 200;
      if (answer === 'hang') {
        hits.push({ ...seen, answered: 'hang' });
        return;
      }
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      hits.push({ ...seen, answered: status });
      res
        .writeHead(status, { 'content-type': 'text/plain', ...headers })
        .end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hooks/${opts.name ?? 'status'}`,
    hits,
    of: (phoneNumber) => hits.filter((h) => h.payload?.Data.PhoneNumber === phoneNumber),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on right now (bound, then released). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Runs `check` until it stops throwing, at most `timeoutMs`; returns its value or rethrows its last
 * error. For asynchronous outcomes (background delivery, the reconciler) instead of fixed sleeps.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5_000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
