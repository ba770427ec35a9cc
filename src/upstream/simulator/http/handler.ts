import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { constantTimeEqual } from '../../../crypto/constant-time.js';
import type { SimulatorTables } from '../tables.js';
import type { Durably } from '../../../store/index.js';
import { redact } from '../../graph/graph-error.js';
import { UpstreamError } from '../../../errors/index.js';
import { graphError, httpStatusFor } from '../errors.js';
import type { WhatsAppSimulator } from '../simulator.js';
import { NetworkFaults, type NetworkFaultSpec } from './network-faults.js';
import { parseParams, ParamError, readBody } from './params.js';
import { errorReply, fbtraceId, send, type Reply } from './render.js';
import { ROUTES, type CallContext } from './routes.js';

export interface SimulatorHttpOptions {
  readonly sim: WhatsAppSimulator;
  /** The simulator's store (to tell a WABA ID from a phone-number ID on `GET /{id}`). */
  readonly db: Kysely<SimulatorTables>;
  /**
   * Access tokens the simulator accepts, as a Bearer header or `access_token` parameter
   * (whatsapp-upstream.md §1.1).
   */
  readonly tokens: readonly string[];
  /** Path prefix when mounted in another server, e.g. '/_meta'. */
  readonly basePath?: string;
  /**
   * Oldest major version served: 21, since v19.0 and v20.0 are past end of life (whatsapp-upstream.md §1.1).
   */
  readonly minVersion?: number;
  readonly faults?: NetworkFaults;
  readonly log?: Logger;
  /**
   * The store's unit of work, when the simulator shares the serving store: a reply is sent only once
   * the call's writes are durable. Without it (its own port, its own store) writes are durable as made.
   */
  readonly durably?: Durably;
  /** Aborts pending fault delays when the server shuts down. */
  readonly signal?: AbortSignal;
}

export type SimulatorHttpHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & {
  readonly faults: NetworkFaults;
};

const VERSION = /^v(\d+)\.\d+$/;

const fail = (code: number, message: string, extra: { subcode?: number; transient?: boolean } = {}) =>
  new UpstreamError({ code, message, httpStatus: httpStatusFor(code), ...extra });

/** Meta's answer to a path it does not know. */
const unknownPath = (path: string) =>
  new UpstreamError({ code: 2500, httpStatus: 400, message: `Unknown path components: ${path}` });

function presentedToken(req: IncomingMessage, params: Record<string, unknown>): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return bearer.trim();
  return typeof params.access_token === 'string' ? params.access_token : undefined;
}

/**
 * The embedded simulator in Meta's Graph wire format over HTTP (whatsapp-upstream.md §1.13): `/{version}/...`
 * paths, token check, query/form/JSON parameters, `fields=`, cursor paging, Meta's error envelope with its
 * HTTP status and `fbtrace_id`. The request path, top to bottom: version -> body -> token -> route ->
 * network fault (before) -> simulator -> network fault (after) -> answer.
 *
 * Known limitations: `filtering` and `sort` of the list edge are ignored; `POST /{phone-number-id}`
 * (two-step PIN, display-name change) answers code 100; only the fields of graph/wire.ts exist.
 */
export function createSimulatorHttpHandler(options: SimulatorHttpOptions): SimulatorHttpHandler {
  const faults = options.faults ?? new NetworkFaults();
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const minVersion = options.minVersion ?? 21;

  async function wait(ms: number | undefined): Promise<boolean> {
    if (ms === undefined || ms <= 0) return true;
    try {
      await delay(ms, undefined, options.signal === undefined ? {} : { signal: options.signal });
      return true;
    } catch {
      return false;
    }
  }

  /** Applies a fault's delay and replacement; true when the fault answered (or hung up). */
  async function applyFault(fault: NetworkFaultSpec, res: ServerResponse, traceId: string): Promise<boolean> {
    if (!(await wait(fault.delayMs)) || fault.response === 'hangup') {
      res.destroy();
      return true;
    }
    const r = fault.response;
    if (r === undefined) return false;
    if (r.error === undefined) {
      if (res.destroyed) return true;
      res.writeHead(r.status, { 'content-type': 'text/plain', 'x-fb-trace-id': traceId, ...r.headers });
      res.end(r.body ?? '');
      return true;
    }
    const reply = errorReply(graphError(r.error), traceId);
    send(res, { status: r.status, body: reply.body, headers: { ...reply.headers, ...r.headers } }, traceId);
    return true;
  }

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    traceId: string,
  ): Promise<Reply | undefined> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    const segments = path.split('/').filter((s) => s !== '');
    const version = VERSION.exec(segments[0] ?? '');
    if (version === null) return errorReply(unknownPath(path), traceId);
    if (Number(version[1]) < minVersion) {
      return errorReply(
        fail(
          100,
          `(#100) Graph API ${segments[0]} is past its end of life; this simulator serves v${minVersion}.0 and later`,
        ),
        traceId,
      );
    }
    const params = parseParams(url.searchParams, req.headers['content-type'], await readBody(req));
    const token = presentedToken(req, params);
    if (token === undefined) {
      return errorReply(fail(104, 'An access token is required to request this resource.'), traceId);
    }
    if (!options.tokens.some((t) => constantTimeEqual(token, t))) {
      return errorReply(fail(190, 'Invalid OAuth access token - Cannot parse access token'), traceId);
    }
    const method = req.method ?? 'GET';
    const edge = segments[2] ?? null;
    const route =
      segments.length <= 3 ? ROUTES.find((r) => r.method === method && r.edge === edge) : undefined;
    if (segments.length < 2 || route === undefined) {
      if (method === 'POST' && segments.length === 2) {
        return errorReply(
          fail(100, '(#100) POST /{phone-number-id} (two-step PIN, display-name change) is not simulated'),
          traceId,
        );
      }
      return errorReply(unknownPath(path), traceId);
    }
    const ctx: CallContext = { sim: options.sim, db: options.db, id: segments[1]!, params, url };
    const fault = faults.take(await route.operation(ctx));
    if (fault !== undefined && fault.phase !== 'after' && (await applyFault(fault, res, traceId)))
      return undefined;
    let reply: Reply;
    try {
      reply = await route.run(ctx);
    } catch (error) {
      if (error instanceof ParamError) reply = errorReply(error.error, traceId);
      else if (error instanceof UpstreamError) reply = errorReply(error, traceId);
      else throw error;
    }
    if (fault !== undefined && fault.phase === 'after' && (await applyFault(fault, res, traceId)))
      return undefined;
    return reply;
  }

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const traceId = fbtraceId();
    let reply: Reply | undefined;
    try {
      const call = () => answer(req, res, traceId);
      reply = await (options.durably === undefined ? call() : options.durably(call));
    } catch (error) {
      if (error instanceof ParamError) reply = errorReply(error.error, traceId);
      else {
        options.log?.error({ err: error, fbtrace: traceId }, 'simulator HTTP call failed');
        reply = errorReply(fail(1, 'An unknown error occurred', { transient: true }), traceId);
        reply.status = 500;
      }
    }
    if (reply !== undefined) send(res, reply, traceId);
    options.log?.debug(
      { sim: redact(`${req.method} ${req.url}`), status: reply?.status ?? 'fault', fbtrace: traceId },
      'simulated Graph call',
    );
  };
  return Object.assign(handler, { faults });
}
