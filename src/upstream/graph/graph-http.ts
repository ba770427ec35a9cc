import type { Logger } from 'pino';
import { UpstreamDeadlineExceeded, UpstreamError } from '../../errors/index.js';
import { upstreamDeadline } from '../deadline.js';
import { parseGraphError, redact } from './graph-error.js';
import { decideRetry, type CallKind, type RetryOptions } from './retry-policy.js';
import type { GraphObject } from './wire.js';

/** Graph API versions look like v23.0 (whatsapp-upstream.md §1.1, [spec] `^v[0-9]+\.[0-9]+$`). */
export const GRAPH_VERSION = /^v\d+\.\d+$/;

export interface GraphHttpOptions {
  /**
   * Without the version: https://graph.facebook.com (whatsapp-upstream.md §1.1), or the HTTP simulator's URL.
   */
  readonly baseUrl: string;
  readonly apiVersion: string;
  /** The deployment's system-user token (whatsapp-upstream.md §1.1 "Token types"). */
  readonly accessToken: string | undefined;
  /** A WABA's own token (e.g. a customer's business integration token); the system token otherwise. */
  readonly tokenFor?: (wabaId: string) => string | undefined | Promise<string | undefined>;
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly fetch: typeof fetch;
  readonly log: Logger | undefined;
}

export interface GraphRequest {
  readonly method: 'GET' | 'POST';
  /** After the version, without a leading slash: `123/phone_numbers`. */
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly body?: GraphObject;
  readonly kind: CallKind;
  /** The WABA the call is about, when known: picks its token. */
  readonly wabaId?: string;
}

/** A call timed out; the name is the one fetch uses, so callers treat it as a network failure. */
function timeoutError(what: string, ms: number): Error {
  const error = new Error(`${what} timed out after ${ms} ms`);
  error.name = 'TimeoutError';
  return error;
}

/**
 * One Graph API call over fetch: bearer token, JSON body, a timeout per attempt (AbortSignal.timeout), Meta's
 * error envelope parsed into GraphApiError (whatsapp-upstream.md §1.10), and retries as retry-policy.ts
 * decides. Tokens are sent only in the Authorization header and never logged.
 */
export class GraphHttp {
  readonly #o: GraphHttpOptions;

  constructor(options: GraphHttpOptions) {
    if (!GRAPH_VERSION.test(options.apiVersion)) {
      throw new RangeError(`Graph API version must look like v23.0, got "${options.apiVersion}"`);
    }
    this.#o = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
  }

  /**
   * Within the request's upstream budget (upstream/deadline.ts), when there is one: each attempt's timeout
   * is cut to what is left of it, a retry is made only if its wait ends inside it, and an attempt cut
   * short by it fails with UpstreamDeadlineExceeded (the caller is told the operation may still complete).
   */
  async call(request: GraphRequest): Promise<GraphObject> {
    const token = await this.#token(request.wabaId);
    const budget = upstreamDeadline();
    for (let attempt = 1; ; attempt++) {
      const left = budget === undefined ? Infinity : budget.at - this.#o.now();
      if (left <= 0) throw new UpstreamDeadlineExceeded(this.#label(request), budget!.budgetMs);
      const timeoutMs = Math.min(this.#o.timeoutMs, left);
      try {
        return await this.#once(request, token, attempt, timeoutMs);
      } catch (error) {
        if (timeoutMs < this.#o.timeoutMs && error instanceof Error && error.name === 'TimeoutError')
          throw new UpstreamDeadlineExceeded(this.#label(request), budget!.budgetMs);
        const decision = decideRetry(request.kind, error, attempt, this.#o.retry, this.#o.random);
        if (!decision.retry) throw error;
        // A retry that could not even start inside the budget is not made: the error is the answer.
        if (budget !== undefined && this.#o.now() + decision.waitMs >= budget.at) throw error;
        this.#o.log?.warn(
          { graph: this.#label(request), attempt, waitMs: decision.waitMs, err: describe(error) },
          'Graph API call failed; retrying',
        );
        await this.#o.sleep(decision.waitMs);
      }
    }
  }

  async #token(wabaId: string | undefined): Promise<string> {
    const own = wabaId === undefined ? undefined : await this.#o.tokenFor?.(wabaId);
    const token = own ?? this.#o.accessToken;
    if (token === undefined || token === '') {
      throw new UpstreamError({
        code: 190,
        httpStatus: 401,
        message: `No Graph API access token is configured${wabaId === undefined ? '' : ` for WABA ${wabaId}`}: set CAMS_GRAPH_ACCESS_TOKEN`,
      });
    }
    return token;
  }

  #label(request: GraphRequest): string {
    return redact(`${request.method} /${this.#o.apiVersion}/${request.path}`);
  }

  async #once(
    request: GraphRequest,
    token: string,
    attempt: number,
    timeoutMs: number,
  ): Promise<GraphObject> {
    const url = new URL(`${this.#o.baseUrl}/${this.#o.apiVersion}/${request.path}`);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const started = this.#o.now();
    let response: Response;
    let text: string;
    try {
      response = await this.#o.fetch(url, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw timeoutError(this.#label(request), timeoutMs);
      }
      throw error;
    }
    const fbtrace = response.headers.get('x-fb-trace-id') ?? undefined;
    this.#o.log?.debug(
      { graph: this.#label(request), status: response.status, ms: this.#o.now() - started, attempt, fbtrace },
      'Graph API call',
    );
    if (!response.ok) throw parseGraphError(response.status, text, response.headers, this.#o.now());
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as GraphObject;
    } catch {
      // fall through to the error below
    }
    throw new UpstreamError({
      code: 1,
      httpStatus: 502,
      message: `${this.#label(request)} answered ${response.status} with a body that is not a JSON object`,
      transient: true,
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof UpstreamError) {
    return redact(`${error.code}${error.subcode === undefined ? '' : `/${error.subcode}`} ${error.message}`);
  }
  return error instanceof Error ? redact(`${error.name}: ${error.message}`) : 'unknown error';
}
