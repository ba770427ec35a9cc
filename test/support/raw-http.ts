import { connect, type Socket } from 'node:net';

/** What came back on a raw connection: every byte the server sent, and whether it closed the connection. */
export interface RawOutcome {
  readonly text: string;
  readonly closed: boolean;
  /** Milliseconds from the first byte written to the server's close (or to the wait's end). */
  readonly ms: number;
}

/** A connected raw TCP socket to the server (optionally from another loopback address). */
export function rawSocket(port: number, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...(localAddress ? { localAddress } : {}) });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Writes `chunks` (a string or Buffer each, `delayMs` apart) on a fresh connection and collects what the
 * server answers until it closes the connection or `waitMs` passes.
 */
export async function rawExchange(
  port: number,
  chunks: Array<string | Buffer>,
  { waitMs = 5000, delayMs = 0 }: { waitMs?: number; delayMs?: number } = {},
): Promise<RawOutcome> {
  const socket = await rawSocket(port);
  const started = Date.now();
  const received: Buffer[] = [];
  return new Promise((resolve) => {
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(writer);
      socket.destroy();
      resolve({ text: Buffer.concat(received).toString('latin1'), closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    let next = 0;
    const writeNext = () => {
      if (next < chunks.length && !socket.destroyed) socket.write(chunks[next++]!);
    };
    writeNext();
    const writer = setInterval(writeNext, Math.max(1, delayMs));
  });
}

/** One HTTP/1.1 answer in raw text: status, lower-case headers, body. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The first answer of a raw exchange. */
export function parseRawAnswer(text: string): RawAnswer {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no HTTP answer in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = text.slice(split + 4);
  const length = headers['content-length'];
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0),
    headers,
    body: length === undefined ? rest : rest.slice(0, Number(length)),
  };
}
