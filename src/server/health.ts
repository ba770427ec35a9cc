import type { Logger } from 'pino';
import { pathOf, type Route } from '../http/route.js';

/** A dependency the instance needs to serve: answers, or throws, within the deadline. */
export interface ReadinessProbe {
  /** What /readyz names when it fails: `store`, `redis`. */
  readonly name: string;
  check(): Promise<unknown>;
}

export interface HealthOptions {
  readonly probes: readonly ReadinessProbe[];
  /** How long a probe may take before it counts as failed. */
  readonly deadlineMs: number;
  /** Where a failed probe's error goes: /readyz is unauthenticated and names only the dependency. */
  readonly log: Logger;
}

class ProbeTimeout extends Error {}

const PATHS = new Set(['/healthz', '/readyz']);

function withDeadline(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Liveness and readiness for load balancers and orchestrators, outside the CAMS action namespace and
 * without a signature: `GET /healthz` answers 200 while the process serves HTTP at all; `GET /readyz`
 * answers 200 only when every dependency (the store and, when configured, Redis) answers within the
 * deadline, and 503 naming those that did not (`timeout` or `error`; the error itself is logged, not
 * shown: the endpoint is unauthenticated). Both in JSON.
 */
export function healthRoute(options: HealthOptions): Route {
  return {
    name: 'health',
    matches: (path) => PATHS.has(path),
    async handle(req, res) {
      const send = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        res.writeHead(status, {
          'content-type': 'application/json;charset=utf-8',
          'content-length': Buffer.byteLength(text),
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : text);
      };
      req.resume(); // a body, if any, is not read
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        send(405, { status: 'error', message: `${req.method} is not allowed here; use GET.` });
        return;
      }
      if (pathOf(req.url) === '/healthz') {
        send(200, { status: 'ok' });
        return;
      }
      const results = await Promise.all(
        options.probes.map(async (probe) => {
          const started = Date.now();
          try {
            await withDeadline(probe.check(), options.deadlineMs);
            return { name: probe.name, ok: true as const, ms: Date.now() - started };
          } catch (error) {
            options.log.warn({ err: error, dependency: probe.name }, 'readiness probe failed');
            const reason = error instanceof ProbeTimeout ? 'timeout' : 'error';
            return { name: probe.name, ok: false as const, ms: Date.now() - started, error: reason };
          }
        }),
      );
      const failed = results.filter((r) => !r.ok);
      const checks = Object.fromEntries(
        results.map((r) => [
          r.name,
          r.ok ? { status: 'ok', ms: r.ms } : { status: 'failed', ms: r.ms, error: r.error },
        ]),
      );
      if (failed.length === 0) send(200, { status: 'ok', checks });
      else
        send(503, {
          status: 'unavailable',
          message: `not ready: ${failed.map((f) => f.name).join(', ')} did not answer`,
          checks,
        });
    },
  };
}
