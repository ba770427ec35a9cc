import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { constantTimeEqual } from '../../crypto/constant-time.js';
import { AdminError, ServiceError } from '../../errors/index.js';
import { BodyTooLarge, readBody } from '../../http/read-body.js';
import type { Route } from '../../http/route.js';
import type { NewAuditEvent } from '../../store/audit-trail.js';
import type { Durably } from '../../store/index.js';
import type { WebAssets } from '../assets.js';
import { pageShell, securityHeaders, sendPage } from '../page-shell.js';
import { consoleApi, type ConsoleAnswer } from './console-api.js';
import type { ConsoleServices } from './console-deps.js';
import { ConsoleSessions, type ConsoleSession, type ConsoleSessionTable } from './console-sessions.js';
import { SignInLimiter } from './sign-in-limiter.js';

export const CONSOLE_PATH = '/console';
const API_PREFIX = '/console/api/';
export const SESSION_COOKIE = 'cams_console';
export const CSRF_HEADER = 'x-console-csrf';
/** Failed sign-ins an address may make per minute. */
export const SIGN_IN_LIMIT = 5;

export interface ConsoleRouteOptions {
  readonly services: ConsoleServices;
  /** CAMS_OPERATOR_TOKEN; without it the console does not exist (404), like the operator API. */
  readonly token: string | undefined;
  readonly assets: WebAssets;
  readonly log: Logger;
  readonly durably: Durably;
  readonly maxBodyBytes: number;
  readonly trustProxy: boolean;
  /** Where sessions are kept (the store's console_sessions). */
  readonly sessionTable: ConsoleSessionTable;
  readonly sessionIdleMs: number;
  readonly sessionMaxMs: number;
  readonly now: () => number;
  /** Records a console write or sign-in in the audit trail (operator/operator.ts recordAudit). */
  readonly recordAudit: (event: Omit<NewAuditEvent, 'at'>) => Promise<void>;
}

const error = (status: number, code: string, message: string): ConsoleAnswer => ({
  status,
  body: { Code: code, Message: message },
});
const UNAUTHORIZED = error(401, 'Unauthorized', 'Sign in to the console with the operator token.');

function sourceIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy
    ? req.headersDistinct['x-forwarded-for']?.[0]?.split(',')[0]?.trim()
    : undefined;
  return forwarded || req.socket.remoteAddress || '';
}

function isSecure(req: IncomingMessage, trustProxy: boolean): boolean {
  if ('encrypted' in req.socket && req.socket.encrypted === true) return true;
  return trustProxy && req.headersDistinct['x-forwarded-proto']?.[0] === 'https';
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A write must come from a page of this origin: its Origin header names this host (a browser always
 * sends Origin on a cross-site or same-site POST/DELETE; a form on another site cannot forge it).
 */
function sameOrigin(req: IncomingMessage, secure: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || req.headers.host === undefined) return false;
  try {
    const url = new URL(origin);
    return url.host === req.headers.host && (!secure || url.protocol === 'https:');
  } catch {
    return false;
  }
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new AdminError('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function send(res: ServerResponse, answer: ConsoleAnswer, headers: Record<string, string | string[]> = {}) {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...securityHeaders(),
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The account, space and number a console path names (accounts/:a/spaces/:c/numbers/:n/...). */
function scopeOf(segments: readonly string[]): NonNullable<ConsoleAnswer['audit']> {
  const named = (i: number, name: string, pattern: RegExp) =>
    segments[i] === name && pattern.test(segments[i + 1] ?? '') ? segments[i + 1] : undefined;
  const accountId = named(0, 'accounts', /^\d{16}$/);
  const custSpaceId = accountId && named(2, 'spaces', /^[A-Za-z0-9_-]{1,64}$/);
  const phoneNumber = custSpaceId && named(4, 'numbers', /^\d{1,20}$/);
  return {
    ...(accountId === undefined ? {} : { accountId }),
    ...(custSpaceId === undefined ? {} : { custSpaceId }),
    ...(phoneNumber === undefined ? {} : { phoneNumber }),
  };
}

/** What the service answers for an error a console call raised, as the operator API does. */
function answerFor(e: unknown): ConsoleAnswer | undefined {
  if (e instanceof AdminError || e instanceof SyntaxError) return error(400, 'InvalidParameter', e.message);
  if (e instanceof ServiceError) return error(e.status, e.code, e.message);
  return undefined;
}

/**
 * The operator's console (README, "The console"): the page at /console and its JSON API under
 * /console/api/. Signing in trades the operator token for a session cookie (HttpOnly, SameSite=Strict,
 * Path=/console, Secure over https); every write also needs the session's CSRF token in
 * `X-Console-Csrf` and an Origin of this host. Every write is recorded in the audit trail with the
 * identity `console`, in the unit of work of the write.
 */
export function consoleRoute(options: ConsoleRouteOptions): Route {
  const sessions = new ConsoleSessions({
    table: options.sessionTable,
    idleMs: options.sessionIdleMs,
    maxMs: options.sessionMaxMs,
    now: options.now,
  });
  const limiter = new SignInLimiter({ limit: SIGN_IN_LIMIT, windowMs: 60_000, now: options.now });
  const { token, log } = options;

  const setCookie = (value: string, secure: boolean, maxAgeSeconds: number) =>
    `${SESSION_COOKIE}=${value}; Path=${CONSOLE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;

  const audit = (
    req: IncomingMessage,
    action: string,
    code: string,
    identity: string,
    scope: ConsoleAnswer['audit'] = {},
  ) =>
    options.recordAudit({
      requestId: randomUUID().toUpperCase(),
      identity,
      action: action.slice(0, 160),
      ...(scope.accountId === undefined ? {} : { accountId: scope.accountId }),
      ...(scope.custSpaceId === undefined ? {} : { custSpaceId: scope.custSpaceId }),
      ...(scope.phoneNumber === undefined ? {} : { phoneNumber: scope.phoneNumber }),
      code,
      sourceIp: sourceIp(req, options.trustProxy),
    });

  const codeOf = (answer: ConsoleAnswer) =>
    answer.status < 300 ? 'OK' : String((answer.body as { Code?: unknown }).Code ?? answer.status);

  type Reply = { answer: ConsoleAnswer; headers?: Record<string, string> };

  async function signIn(req: IncomingMessage, body: Buffer, secure: boolean): Promise<Reply> {
    const address = sourceIp(req, options.trustProxy);
    const wait = limiter.wait(address);
    if (wait > 0)
      return {
        answer: error(429, 'Throttling.User', `Too many sign-in attempts; try again in ${wait} s.`),
        headers: { 'retry-after': String(wait) },
      };
    if (!sameOrigin(req, secure))
      return { answer: error(403, 'Forbidden.Origin', 'Sign in from the console page of this server.') };
    const presented = parseJson(body).token;
    const good = typeof presented === 'string' && constantTimeEqual(presented, token!);
    if (!good) {
      limiter.failed(address);
      await audit(req, 'console sign-in', 'Unauthorized', 'unknown');
      return { answer: error(401, 'Unauthorized', 'That is not the operator token.') };
    }
    const { id, session } = await sessions.create();
    await audit(req, 'console sign-in', 'OK', 'console');
    return {
      answer: {
        status: 201,
        body: {
          csrfToken: session.csrfToken,
          expiresAt: new Date(sessions.expiresAt(session)).toISOString(),
        },
      },
      headers: { 'set-cookie': setCookie(id, secure, Math.floor(options.sessionMaxMs / 1000)) },
    };
  }

  /** One API call, start to end inside the store's unit of work: its session, its write, its audit. */
  async function api(req: IncomingMessage, body: Buffer, url: URL, secure: boolean): Promise<Reply> {
    const method = req.method ?? 'GET';
    const rest = url.pathname.slice(API_PREFIX.length);
    if (rest === 'session' && method === 'POST') return signIn(req, body, secure);
    const session = await sessions.get(cookie(req, SESSION_COOKIE));
    // The page's first question, "am I signed in?", is answered without an error status.
    if (session === undefined && rest === 'session' && method === 'GET')
      return { answer: { status: 200, body: { signedIn: false } } };
    if (session === undefined) return { answer: UNAUTHORIZED };
    const write = method !== 'GET' && method !== 'HEAD';
    if (write) {
      if (!sameOrigin(req, secure))
        return { answer: error(403, 'Forbidden.Origin', 'Console writes must come from the console page.') };
      if (!constantTimeEqual(String(req.headers[CSRF_HEADER] ?? ''), session.csrfToken))
        return {
          answer: error(
            403,
            'Forbidden.Csrf',
            'The console CSRF token is missing or wrong; reload the page.',
          ),
        };
    }
    if (rest === 'session') return sessionCall(req, method, session, secure);
    let segments: string[];
    try {
      segments = rest.split('/').map((s) => decodeURIComponent(s));
    } catch {
      return { answer: error(400, 'InvalidParameter', 'The path is not valid percent-encoding.') };
    }
    let out: ConsoleAnswer;
    try {
      out = await consoleApi(options.services, {
        method,
        segments,
        query: url.searchParams,
        body: parseJson(body),
      });
    } catch (e) {
      const known = answerFor(e);
      if (known === undefined) throw e;
      out = known;
    }
    if (write)
      await audit(req, `console ${method} /${rest}`, codeOf(out), 'console', {
        ...scopeOf(segments),
        ...out.audit,
      });
    return { answer: out };
  }

  async function sessionCall(
    req: IncomingMessage,
    method: string,
    session: ConsoleSession,
    secure: boolean,
  ): Promise<Reply> {
    if (method === 'GET')
      return {
        answer: {
          status: 200,
          body: {
            signedIn: true,
            csrfToken: session.csrfToken,
            expiresAt: new Date(sessions.expiresAt(session)).toISOString(),
          },
        },
      };
    if (method === 'DELETE') {
      await sessions.delete(session);
      await audit(req, 'console sign-out', 'OK', 'console');
      return {
        answer: { status: 200, body: { signedOut: true } },
        headers: { 'set-cookie': setCookie('', secure, 0) },
      };
    }
    return { answer: error(404, 'InvalidApi.NotFound', `No console operation ${method} /session.`) };
  }

  return {
    name: 'console',
    matches: (p) => p === CONSOLE_PATH || p === `${CONSOLE_PATH}/` || p.startsWith(API_PREFIX),
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://console');
      if (token === undefined)
        return send(res, error(404, 'InvalidApi.NotFound', 'The console is off: set CAMS_OPERATOR_TOKEN.'));
      const secure = isSecure(req, options.trustProxy);
      if (!url.pathname.startsWith(API_PREFIX)) {
        if (req.method !== 'GET' && req.method !== 'HEAD')
          return send(res, error(405, 'MethodNotAllowed', 'The console page answers GET.'));
        // The page holds no data and no secret: without a session it shows the sign-in form only.
        return sendPage(res, pageShell(options.assets, { title: 'Console', entry: 'console' }));
      }
      try {
        const body = await readBody(req, options.maxBodyBytes);
        // Answered only once the call's writes (session, change, audit event) are durable.
        const reply = await options.durably(() => api(req, body, url, secure));
        send(res, reply.answer, reply.headers);
      } catch (e) {
        if (!(e instanceof BodyTooLarge))
          log.error({ err: e, console: url.pathname }, 'console request failed');
        if (res.headersSent) return void res.end();
        send(
          res,
          e instanceof BodyTooLarge
            ? error(413, 'RequestEntity.TooLarge', 'The request body is larger than this service accepts.')
            : (answerFor(e) ??
                error(500, 'InternalError', 'The request processing has failed due to some unknown error.')),
        );
      }
    },
  };
}
