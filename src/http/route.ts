import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One thing that answers on the HTTP port (the CAMS gateway, the operator API, the simulator's Meta
 * face, ...). The server (server/server.ts) asks the routes in order and gives the request to the first
 * that matches; a route answers every request it takes, errors included, in its own wire format.
 */
export interface Route {
  readonly name: string;
  /**
   * Whether the route answers this path (the request target without its query). Most routes look at
   * the path only; a route that shares a path with the gateway (the browser's home page at `/`) also
   * looks at the request.
   */
  matches(path: string, req?: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Called once when the server closes (cuts the route's own pending work short). */
  close?(): void;
}

/** The path of a request target: `/a/b?x=1` -> `/a/b`. */
export function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}
