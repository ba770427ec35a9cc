import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  resolveCallbackUrl,
  type CallbackUrlPolicy,
  type HostLookup,
  type ResolvedAddress,
} from './callback-url.js';

export interface PostInput {
  readonly url: string;
  readonly body: string;
  /** Builds the headers right before sending, so X-Cams-Timestamp is the send time. */
  readonly headers: () => Promise<Record<string, string>>;
  readonly policy: CallbackUrlPolicy;
  readonly lookup: HostLookup;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

/** `error` is short, contains no secrets, and is what the outbox keeps as last_error. */
export type PostOutcome =
  | { readonly ok: true; readonly statusCode: number }
  | { readonly ok: false; readonly statusCode: number | null; readonly error: string };

const MAX_ERROR_LENGTH = 300;

/** Errors from the network stack carry a code and the peer address, never the request. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, MAX_ERROR_LENGTH);
}

/**
 * Connects only to the addresses that passed the SSRF check, whatever DNS answers now (no DNS
 * rebinding between check and connect). Node asks with `all: true` when it races address families.
 */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const candidates = addresses.filter((a) => wanted === undefined || a.family === wanted);
    const first = candidates[0];
    if (first === undefined) {
      callback(
        Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }),
        '',
      );
    } else if (options.all === true) {
      callback(
        null,
        candidates.map((a) => ({ ...a })),
      );
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/**
 * One delivery attempt: re-check the URL (the host may resolve elsewhere since registration), then
 * POST without following redirects, under one deadline for the whole exchange. Never throws.
 */
export async function postWebhook(input: PostInput): Promise<PostOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), input.timeoutMs);
  const timedOut = (): PostOutcome => ({
    ok: false,
    statusCode: null,
    error: `timed out after ${input.timeoutMs} ms`,
  });
  try {
    const aborted = new Promise<'aborted'>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true }),
    );
    const checked = await Promise.race([resolveCallbackUrl(input.url, input.policy, input.lookup), aborted]);
    if (checked === 'aborted') return timedOut();
    const headers = await input.headers();
    return await send(checked.url, checked.hostname, checked.addresses, headers, input, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return timedOut();
    // CallbackUrlError (refused or unresolvable now) is retried like a network error: DNS may recover.
    return { ok: false, statusCode: null, error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

function send(
  url: URL,
  hostname: string,
  addresses: readonly ResolvedAddress[],
  headers: Record<string, string>,
  input: PostInput,
  signal: AbortSignal,
): Promise<PostOutcome> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request({
      protocol: url.protocol,
      hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(input.body)) },
      // A fresh connection per attempt: a pooled socket could have been opened to an address checked
      // under an older answer, and the pinned lookup is per request.
      agent: false,
      lookup: pinnedLookup(addresses),
      signal,
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const statusCode = response.statusCode ?? 0;
      const finish = (): void => {
        if (statusCode >= 200 && statusCode < 300) resolve({ ok: true, statusCode });
        else {
          // 3xx included: redirects are never followed, a receiver must answer at the registered URL.
          const kind = statusCode >= 300 && statusCode < 400 ? 'redirect not followed, ' : '';
          resolve({ ok: false, statusCode, error: `${kind}HTTP ${statusCode}` });
        }
      };
      // Read a little of the body (so small replies complete normally), discard it, and hang up on
      // anything larger: memory per delivery stays bounded.
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > input.maxResponseBytes) {
          response.destroy();
          finish();
        }
      });
      response.on('end', finish);
      response.on('error', () => finish());
    });
    request.end(input.body);
  });
}
