import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { GatewayAudit } from '../gateway/audit.js';
import { DEFAULT_PORT_LIMITS, type PortLimits } from '../config.js';
import { fail } from '../errors/index.js';
import { gatewayRoute } from '../gateway/route.js';
import { errorAnswer } from '../gateway/serialize.js';
import { clientAbortCode } from '../http/client-abort.js';
import { sourceAddress } from '../http/source-address.js';
import { clientErrorHandler } from './client-error.js';
import { FairScheduler } from './fair-scheduler.js';
import { PipelineBrake } from './pipeline-brake.js';
import { healthRoute, type ReadinessProbe } from './health.js';
import type { PipelineDeps } from '../gateway/context.js';
import { pathOf, type Route } from '../http/route.js';
import type { Operator } from '../operator/operator.js';
import { operatorRoute } from '../operator/route.js';
import type { Durably } from '../store/index.js';
import type { ServiceMetrics } from './metrics.js';
import { metricsRoute, type MetricsRouteOptions } from './metrics-route.js';
import type { WebAssets } from '../web/assets.js';
import { webRoute } from '../web/web-route.js';
import { explorerRoute } from '../web/explorer/explorer-route.js';
import type { ExplorerDemo } from '../web/explorer/demo-key.js';
import { PRODUCTS } from '../actions/products.js';
import type { ConsoleServices } from '../web/console/console-deps.js';
import { consoleRoute } from '../web/console/console-route.js';
import type { ConsoleSessionTable } from '../web/console/console-sessions.js';

/** What the port serves, built by the composition root (main.ts). */
export interface PortParts {
  readonly log: Logger;
  readonly pipeline: PipelineDeps;
  readonly operator: Operator;
  /** CAMS_OPERATOR_TOKEN: without it the operator endpoints answer 404. */
  readonly operatorToken: string | undefined;
  readonly maxBodyBytes: number;
  readonly trustProxy: boolean;
  /** The store's unit of work: every route answers only once its writes are durable. */
  readonly durably: Durably;
  /** Meta's wire format of the embedded simulator under a prefix (CAMS_SIMULATOR_HTTP), when mounted. */
  readonly simulatorHttp?: Route;
  /** What /readyz checks: the store and, when configured, Redis. */
  readonly readiness: readonly ReadinessProbe[];
  readonly readinessDeadlineMs: number;
  /** The metrics the gateway feeds; absent when CAMS_METRICS=false. */
  readonly metrics: ServiceMetrics | undefined;
  /** Who may read /metrics on this port. */
  readonly metricsAccess: MetricsRouteOptions['access'];
  /** The gateway's audit trail (gateway/audit.ts); absent, nothing is recorded. */
  readonly audit?: GatewayAudit;
  /** The upstream budget of each CAMS request; absent with the embedded simulator. */
  readonly upstreamDeadlineMs?: number;
  /** The browser pages' built files (src/web/assets.ts): the home page, /assets/, /docs/. */
  readonly web: WebAssets;
  /** The demo key the explorer may offer a browser on this machine; absent, it offers none. */
  readonly explorerDemo?: ExplorerDemo;
  /** The operator's console (/console): its services and session lifetimes. */
  readonly console: {
    readonly services: ConsoleServices;
    readonly sessionTable: ConsoleSessionTable;
    readonly sessionIdleMs: number;
    readonly sessionMaxMs: number;
    readonly now: () => number;
  };
}

/**
 * The one seam of the HTTP port: everything that answers on it, in the order it is asked. The first
 * route whose path matches takes the request; the CAMS gateway comes last and takes everything else, so
 * SDK traffic (`POST /`, `GET /?Action=...`) is never shadowed by a route that matches a prefix.
 */
export function portRoutes(parts: PortParts): Route[] {
  const { log, durably, maxBodyBytes, metrics } = parts;
  const gateway = {
    maxBodyBytes,
    trustProxy: parts.trustProxy,
    durably,
    ...(parts.audit === undefined ? {} : { audit: parts.audit }),
    ...(parts.upstreamDeadlineMs === undefined ? {} : { upstreamDeadlineMs: parts.upstreamDeadlineMs }),
    ...(metrics === undefined ? {} : { observe: metrics.request.bind(metrics) }),
  };
  return [
    healthRoute({ probes: parts.readiness, deadlineMs: parts.readinessDeadlineMs, log }), // /healthz, /readyz
    metricsRoute({ metrics, access: parts.metricsAccess }), //                                /metrics
    webRoute(parts.web), //                                  / (browsers only), /assets/, /docs/
    explorerRoute({
      assets: parts.web,
      products: PRODUCTS.values(),
      demo: parts.explorerDemo,
    }), // /explorer
    consoleRoute({
      ...parts.console,
      token: parts.operatorToken,
      assets: parts.web,
      log,
      durably,
      maxBodyBytes,
      trustProxy: parts.trustProxy,
      recordAudit: (event) => parts.operator.recordAudit(event),
    }), //                                                    /console, /console/api/
    operatorRoute(parts.operator, log, { token: parts.operatorToken, maxBodyBytes, durably }), // /_admin/
    ...(parts.simulatorHttp === undefined ? [] : [parts.simulatorHttp]), //                       /_meta/...
    gatewayRoute(parts.pipeline, log, gateway), //                                                    the rest
  ];
}

/** How the port treats its connections (config.ts `PortLimits`) and whom it counts a request against. */
export interface ServeOptions {
  readonly limits: PortLimits;
  /** CAMS_TRUST_PROXY: a request's source is the first X-Forwarded-For entry, not the peer. */
  readonly trustProxy: boolean;
}

/** How often refused connections are reported, at most: a flood of them is one line per interval. */
const DROP_REPORT_MS = 10_000;

/**
 * An HTTP server that hands each request to the first matching route, within the port's limits
 * (architecture.md, "Limits on the port"): Node's header, request and keep-alive timeouts, a head size
 * limit and a connection cap; each request waits its turn in the FairScheduler by source; what the
 * parser refuses is answered by `clientErrorHandler`.
 */
export function serveRoutes(
  routes: readonly Route[],
  log: Logger,
  options: ServeOptions = { limits: DEFAULT_PORT_LIMITS, trustProxy: false },
): Server {
  const { limits } = options;
  const scheduler = new FairScheduler(limits);
  const brake = new PipelineBrake();
  const dispatch = (req: IncomingMessage, res: ServerResponse, done: () => void) => {
    // Queued behind its source's other requests, the client may have gone meanwhile: nothing to do.
    if (req.socket.destroyed) return done();
    const path = pathOf(req.url);
    const route = routes.find((r) => r.matches(path, req));
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return done();
    }
    route
      .handle(req, res)
      .catch((error: unknown) => {
        // A route answers its own errors in its own format; this is the last resort.
        const gone = clientAbortCode(error);
        if (gone !== undefined) log.info({ reason: gone, route: route.name }, 'client went away');
        else log.error({ err: error, route: route.name }, 'route failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      })
      .finally(done);
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      // Node checks the two timeouts on this period (30 s by default, which would let a 10 s timeout run
      // to 40 s): a tenth of the shorter one, at least every 2 s.
      connectionsCheckingInterval: Math.max(50, Math.min(2000, limits.headersTimeoutMs / 10)),
    },
    (req, res) => {
      const source = sourceAddress(req, options.trustProxy);
      const socket = req.socket;
      brake.queued(socket);
      const admitted = scheduler.submit(source, (done) => {
        brake.started(socket);
        dispatch(req, res, done);
      });
      if (!admitted) {
        brake.started(socket);
        refuse(req, res, source, log);
      }
    },
  );
  server.maxConnections = limits.maxConnections;
  let dropped = 0;
  let reported = 0;
  server.on('drop', () => {
    dropped++;
    const now = Date.now();
    if (now - reported < DROP_REPORT_MS) return;
    reported = now;
    log.warn(
      { dropped, maxConnections: limits.maxConnections },
      'connection cap reached: closing new connections (CAMS_MAX_CONNECTIONS)',
    );
    dropped = 0;
  });
  server.on('clientError', clientErrorHandler(log));
  server.once('close', () => {
    for (const route of routes) route.close?.();
  });
  return server;
}

/**
 * A source over its queue (CAMS_MAX_QUEUED_PER_SOURCE) is answered `Throttling` before anything costly
 * (no body read, no signature), and its connection closed after the answer: a pipelining flood loses
 * its connection rather than filling the process with answers.
 */
function refuse(req: IncomingMessage, res: ServerResponse, source: string, log: Logger): void {
  const requestId = randomUUID().toUpperCase();
  const hostId = (req.headersDistinct.host?.[0] ?? 'cams').replace(/:\d+$/, '');
  const answer = errorAnswer(
    { requestId, hostId, format: 'JSON', actionName: undefined },
    fail('Throttling'),
  );
  res.shouldKeepAlive = false;
  res.writeHead(answer.status, {
    'content-type': answer.contentType,
    'content-length': Buffer.byteLength(answer.body),
    'x-acs-request-id': requestId,
    connection: 'close',
  });
  res.end(answer.body);
  log.info({ requestId, source, status: answer.status, code: 'Throttling' }, 'request');
}
