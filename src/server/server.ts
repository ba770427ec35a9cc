import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { GatewayAudit } from '../gateway/audit.js';
import { gatewayRoute } from '../gateway/route.js';
import { healthRoute, type ReadinessProbe } from './health.js';
import type { PipelineDeps } from '../gateway/context.js';
import { pathOf, type Route } from '../http/route.js';
import type { Operator } from '../operator/operator.js';
import { operatorRoute } from '../operator/route.js';
import type { Durably } from '../store/index.js';
import type { ServiceMetrics } from './metrics.js';
import { metricsRoute, type MetricsRouteOptions } from './metrics-route.js';

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
    operatorRoute(parts.operator, log, { token: parts.operatorToken, maxBodyBytes, durably }), // /_admin/
    ...(parts.simulatorHttp === undefined ? [] : [parts.simulatorHttp]), //                       /_meta/...
    gatewayRoute(parts.pipeline, log, gateway), //                                                    the rest
  ];
}

/**
 * The longest request head accepted. The RAM SDK sends every parameter in the query, a policy document
 * of up to 6144 characters included (cams-api.md §4.1), which percent-encoding can triple: Node's
 * default of 16 KiB would refuse such a request before any route sees it.
 */
export const MAX_HEADER_BYTES = 64 * 1024;

/** An HTTP server that hands each request to the first matching route. */
export function serveRoutes(routes: readonly Route[], log: Logger): Server {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const path = pathOf(req.url);
    const route = routes.find((r) => r.matches(path));
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    route.handle(req, res).catch((error: unknown) => {
      // A route answers its own errors in its own format; this is the last resort.
      log.error({ err: error, route: route.name }, 'route failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  server.once('close', () => {
    for (const route of routes) route.close?.();
  });
  return server;
}
