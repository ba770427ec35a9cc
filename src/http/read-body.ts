import type { IncomingMessage } from 'node:http';

/** The body was longer than the route accepts; the rest of it is drained, not kept. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/**
 * How much of a refused body is still read and discarded after the refusal: enough that a client still
 * writing an oversized request (the official SDKs write the whole body before they read) receives the
 * 413 instead of a reset connection, bounded so that an endless body cannot hold the connection.
 */
export const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads the whole body (chunked or not), refusing more than `limit` bytes. The refusal comes at once, so
 * the answer can go out; the rest of the body is read and dropped up to DISCARD_LIMIT_BYTES more, then
 * the connection is closed.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!refused && size <= limit) {
        chunks.push(chunk);
        return;
      }
      if (!refused) {
        refused = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
      }
      if (size > limit + DISCARD_LIMIT_BYTES) req.socket.destroy();
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
