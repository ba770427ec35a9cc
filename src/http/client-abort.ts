/**
 * The error codes of a client that went away: the connection reset or closed under a request still
 * being read (Node's `aborted`), or an answer written to a closed connection. Nothing the service did
 * wrong, and nothing an operator can act on: logged at info, in one line, without a stack.
 */
const CLIENT_GONE = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

/** The error's code when it says the client went away; undefined for any other error. */
export function clientAbortCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && CLIENT_GONE.has(code)) return code;
  // IncomingMessage's `aborted` error (the request's connection closed before its body ended).
  return error.message === 'aborted' ? 'ECONNRESET' : undefined;
}
