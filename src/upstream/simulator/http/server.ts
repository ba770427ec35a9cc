import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Route } from '../../../http/route.js';
import {
  createSimulatorHttpHandler,
  type SimulatorHttpHandler,
  type SimulatorHttpOptions,
} from './handler.js';
import type { NetworkFaults } from './network-faults.js';

export interface SimulatorServer {
  readonly server: Server;
  readonly port: number;
  /** The base URL a Graph client is configured with (the version follows it). */
  readonly baseUrl: string;
  readonly faults: NetworkFaults;
  close(): Promise<void>;
}

/**
 * The HTTP simulator on its own port (0 picks a free one). `close` cuts pending fault delays short and
 * waits for calls in flight, so no simulator call outlives the store it writes to.
 */
export async function startSimulatorServer(
  options: Omit<SimulatorHttpOptions, 'signal' | 'basePath'> & { host?: string; port?: number },
): Promise<SimulatorServer> {
  const stop = new AbortController();
  const handler = createSimulatorHttpHandler({ ...options, signal: stop.signal });
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const call = handler(req, res).finally(() => inFlight.delete(call));
    inFlight.add(call);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    baseUrl: `http://${host}:${port}`,
    faults: handler.faults,
    async close() {
      stop.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * The HTTP simulator as a route of another server's port (the CAMS gateway's): requests under the
 * prefix go to the simulator, in Meta's wire format. Closing the route cuts pending fault delays short.
 */
export function simulatorRoute(
  prefix: string,
  options: Omit<SimulatorHttpOptions, 'signal' | 'basePath'>,
): Route & { readonly handler: SimulatorHttpHandler } {
  const base = `/${prefix.replace(/^\/+|\/+$/g, '')}`;
  const stop = new AbortController();
  const handler = createSimulatorHttpHandler({ ...options, basePath: base, signal: stop.signal });
  return {
    name: 'meta-simulator',
    handler,
    matches: (path) => path === base || path.startsWith(`${base}/`),
    handle: (req, res) => handler(req, res),
    close: () => stop.abort(),
  };
}
