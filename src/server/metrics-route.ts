import { constantTimeEqual } from '../crypto/constant-time.js';
import type { Route } from '../http/route.js';
import type { ServiceMetrics } from './metrics.js';

export interface MetricsRouteOptions {
  /** Absent when CAMS_METRICS=false: the path then answers 404 saying so. */
  readonly metrics: ServiceMetrics | undefined;
  /**
   * Who may read: `open` on the separate metrics address (CAMS_METRICS_LISTEN), `elsewhere` on the API
   * port when that address is set, otherwise the bearer of the operator token (CAMS_OPERATOR_TOKEN).
   */
  readonly access:
    | { readonly kind: 'open' }
    | { readonly kind: 'elsewhere' }
    | { readonly kind: 'token'; readonly token: string | undefined };
}

const NOT_FOUND = 'InvalidApi.NotFound';

/**
 * `GET /metrics` in Prometheus' text exposition format (README "Metrics"). Errors are JSON in the
 * operator API's shape ({Code, Message}); the token is compared in constant time.
 */
export function metricsRoute(options: MetricsRouteOptions): Route {
  const { metrics, access } = options;
  return {
    name: 'metrics',
    matches: (path) => path === '/metrics',
    async handle(req, res) {
      req.resume(); // a body, if any, is not read
      const refuse = (
        status: number,
        code: string,
        message: string,
        headers: Record<string, string> = {},
      ) => {
        const text = JSON.stringify({ Code: code, Message: message });
        res.writeHead(status, {
          'content-type': 'application/json;charset=utf-8',
          'content-length': Buffer.byteLength(text),
          'cache-control': 'no-store',
          ...headers,
        });
        res.end(text);
      };
      if (metrics === undefined)
        return refuse(404, NOT_FOUND, 'Metrics are turned off (CAMS_METRICS=false).');
      if (access.kind === 'elsewhere')
        return refuse(404, NOT_FOUND, 'Metrics are served on the metrics address (CAMS_METRICS_LISTEN).');
      if (access.kind === 'token') {
        if (access.token === undefined)
          return refuse(
            404,
            NOT_FOUND,
            'Metrics need CAMS_OPERATOR_TOKEN (read with Authorization: Bearer <token>) or CAMS_METRICS_LISTEN (a separate address).',
          );
        const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        if (!constantTimeEqual(presented, access.token))
          return refuse(
            401,
            'Unauthorized',
            'A valid operator token is required: Authorization: Bearer <CAMS_OPERATOR_TOKEN>.',
            {
              'www-authenticate': 'Bearer',
            },
          );
      }
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return refuse(405, 'MethodNotAllowed', `${req.method} is not allowed here; use GET.`, {
          allow: 'GET, HEAD',
        });
      const text = await metrics.registry.metrics();
      res.writeHead(200, {
        'content-type': metrics.registry.contentType,
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
  };
}
