import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Stops listening and cuts every connection: to its clients the service is gone (a closed port). */
  stop(): Promise<void>;
  /** Listens again on the same port: the service is back. */
  start(): Promise<void>;
  /** Connections stay open but nothing gets through: a service that stopped answering. */
  stall(): void;
  /** Delivers what was held back, in order, and forwards again. */
  resume(): void;
}

/**
 * A TCP relay on 127.0.0.1 in front of a real service (PostgreSQL, Redis), so a test can take the service
 * away from one instance, or freeze it, and give it back without touching the machine's service.
 */
export async function tcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const held: Array<[Socket, Buffer]> = [];
  let stalled = false;
  let server: Server | undefined;
  let port = 0;

  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (stalled) held.push([to, chunk]);
      else to.write(chunk);
    });
    from.on('end', () => to.end());
  };
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect({ host: targetHost, port: targetPort });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      forward(client, upstream);
      forward(upstream, client);
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  return {
    get port() {
      return port;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const s of sockets) s.destroy();
      held.length = 0;
      await closed;
    },
    start: listen,
    stall: () => {
      stalled = true;
    },
    resume: () => {
      stalled = false;
      for (const [to, chunk] of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
  };
}
