import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { fail, type CatalogueCode } from '../errors/index.js';
import { errorAnswer } from '../gateway/serialize.js';
import { clientAbortCode } from '../http/client-abort.js';

/** How long a refused connection may still deliver what it was sending, so the answer is read, not reset. */
export const LINGER_MS = 1000;

/** The catalogued answer to an error of Node's HTTP parser or of the port's timeouts; undefined: none. */
export function clientErrorCode(error: NodeJS.ErrnoException): CatalogueCode | undefined {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'RequestHeader.TooLarge';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 'RequestEntity.TooLarge';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'Request.Timeout';
    default:
      return error.code?.startsWith('HPE_') ? 'Request.Malformed' : undefined;
  }
}

/** What a socket carries while a response is being written on it (Node's `socket._httpMessage`). */
interface HttpSocket extends Duplex {
  _httpMessage?: { headersSent?: boolean } | null;
}

/**
 * The port's `clientError` handler: what Node's HTTP server cannot hand to a route (a head it cannot
 * parse or that is too large, a request that timed out, a client that went away). A malformed or late
 * request is answered in the CAMS error envelope with a RequestId, as the gateway answers
 * (cams-api.md §2.4), when nothing else is being written on the connection; the connection is then
 * closed, after a short linger so the client reads the answer rather than a reset. A client that went
 * away is one info line.
 */
export function clientErrorHandler(log: Logger): (error: Error, socket: Duplex) => void {
  const answered = new WeakSet<Duplex>();
  return (error, socket) => {
    if (answered.has(socket)) return; // the parser reports every later chunk of an answered connection too
    const gone = clientAbortCode(error);
    const code = gone === undefined ? clientErrorCode(error) : undefined;
    const message = (socket as HttpSocket)._httpMessage;
    const inProgress = message?.headersSent === true;
    if (code === undefined || !socket.writable || inProgress) {
      // A request a route is reading reports its own client's going, once (gateway/route.ts).
      if (gone !== undefined && message != null) log.debug({ reason: gone }, 'client went away');
      else if (gone !== undefined) log.info({ reason: gone }, 'client went away');
      else if (code !== undefined)
        log.info({ code, reason: (error as NodeJS.ErrnoException).code }, 'request refused');
      else
        log.warn(
          { reason: (error as NodeJS.ErrnoException).code, message: error.message },
          'connection error',
        );
      socket.destroy();
      return;
    }
    answered.add(socket);
    const requestId = randomUUID().toUpperCase();
    const answer = errorAnswer(
      { requestId, hostId: 'cams', format: 'JSON', actionName: undefined },
      fail(code),
    );
    const head = [
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`,
      `content-type: ${answer.contentType}`,
      `content-length: ${Buffer.byteLength(answer.body)}`,
      `x-acs-request-id: ${requestId}`,
      'connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`);
    const linger = setTimeout(() => socket.destroy(), LINGER_MS);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
    log.info(
      { requestId, status: answer.status, code, reason: (error as NodeJS.ErrnoException).code },
      'request refused',
    );
  };
}
