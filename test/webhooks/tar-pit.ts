/**
 * Test support of the webhook fairness tests: receivers that hold a delivery slot as long as they are
 * let. `silent` accepts the connection, reads the request and never answers; `trickle` starts a 200
 * answer and then sends one byte of a header line every 100 ms, never ending the head.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type TarPitKind = 'silent' | 'trickle';

export interface TarPit {
  readonly port: number;
  readonly url: string;
  /** When each connection was accepted (Date.now()). */
  readonly connections: number[];
  /** Connections still open. */
  open(): number;
  /** Stops listening and drops every connection (the port is free again). */
  close(): Promise<void>;
}

export async function startTarPit(kind: TarPitKind, name = 'status'): Promise<TarPit> {
  const connections: number[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((socket) => {
    connections.push(Date.now());
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (kind === 'trickle') {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nX-Trickle: ');
        const timer = setInterval(() => socket.write('x'), 100);
        timers.add(timer);
        socket.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/hooks/${name}`,
    connections,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
