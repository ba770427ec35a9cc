import type { Socket } from 'node:net';
import { signedV1 } from '../wire/helpers.js';
import { rawSocket } from './raw-http.js';
import type { Credentials, TestServer } from './server.js';

/** A pipelining flood in progress: how many answers it has had, and its end. */
export interface Flood {
  readonly sent: number;
  answers(): number;
  /** Every byte answered so far, as text. */
  text(): string;
  /** Resolves once `count` answers have arrived (or the connection closed). */
  answered(count: number): Promise<void>;
  /** Resolves when every request is answered or the server closed the connection. */
  readonly finished: Promise<void>;
  stop(): void;
}

/**
 * `count` signed QueryChatappPhoneNumbers requests of one key (unique nonces, V1 GET), pipelined on one
 * connection from `localAddress` (another loopback address is another source to the server) and
 * written at once, as a client that floods the port would.
 */
export async function pipelinedFlood(
  s: TestServer,
  creds: Credentials & { custSpaceId: string },
  count: number,
  localAddress: string,
): Promise<Flood> {
  const requests: string[] = [];
  for (let i = 0; i < count; i++) {
    const { url } = signedV1(s, creds, 'QueryChatappPhoneNumbers', { CustSpaceId: creds.custSpaceId });
    requests.push(`GET ${url.slice(url.indexOf('/', 7))} HTTP/1.1\r\nHost: ${s.endpoint}\r\n\r\n`);
  }
  const socket: Socket = await rawSocket(s.port, localAddress);
  let answers = 0;
  let tail = '';
  const received: Buffer[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const wake = (all = false) => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (all || answers >= waiters[i]!.count) waiters.splice(i, 1)[0]!.resolve();
    }
  };
  const finished = new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => {
      // Status lines only: a JSON body never holds "HTTP/1.1 " followed by a status.
      received.push(d);
      const text = tail + d.toString('latin1');
      answers += text.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0;
      tail = text.slice(-12);
      wake();
      if (answers >= count) resolve();
    });
    socket.on('close', () => {
      wake(true);
      resolve();
    });
    socket.on('error', () => undefined);
  });
  socket.write(requests.join(''));
  return {
    sent: count,
    answers: () => answers,
    text: () => Buffer.concat(received).toString('utf8'),
    answered: (n) =>
      answers >= n || socket.destroyed
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count: n, resolve })),
    finished,
    stop: () => socket.destroy(),
  };
}
