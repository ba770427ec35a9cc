import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { constantTimeEqual } from '../crypto/constant-time.js';
import { AdminError } from '../errors/index.js';
import { clientAbortCode } from '../http/client-abort.js';
import { BodyTooLarge, readBody } from '../http/read-body.js';
import type { Route } from '../http/route.js';
import type { Durably } from '../store/index.js';
import type { Operator } from './operator.js';

export const OPERATOR_PREFIX = '/_admin/';

export interface AdminRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: Buffer;
}

export interface AdminAnswer {
  status: number;
  body: unknown;
}

export type AdminHandler = (req: AdminRequest) => Promise<AdminAnswer>;

const error = (status: number, code: string, message: string): AdminAnswer => ({
  status,
  body: { Code: code, Message: message },
});

function json(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new AdminError('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * The operator endpoints under /_admin/, protected by `Authorization: Bearer <CAMS_OPERATOR_TOKEN>`
 * (compared in constant time). Without a configured token they do not exist (404).
 *
 *   GET    /_admin/outbox?phoneNumber=8613800138000   verification codes the simulator "sent"
 *   GET    /_admin/faults                             injected faults
 *   POST   /_admin/faults   {operation, phoneNumber?, custSpaceId?, preset? | code, subcode?, message?, times?}
 *   DELETE /_admin/faults[/<id>]
 *   GET    /_admin/clock                              simulator clock offset
 *   POST   /_admin/clock    {advanceSeconds}
 *   POST   /_admin/wabas    {name, wabaId?}              a simulator WABA that ChatappBindWaba can bind
 *   GET    /_admin/webhooks?accountId=...             webhook events and their delivery state
 *   GET    /_admin/audit?account=&action=&code=&since=&until=&limit=&cursor=   the audit trail
 *
 * Every call that is not a GET is recorded in the audit trail (identity `operator`), whatever its
 * outcome, and so is a refused token (identity `unknown`).
 */
function adminHandler(operator: Operator, token: string | undefined): AdminHandler {
  return async (req) => {
    if (token === undefined)
      return error(
        404,
        'InvalidApi.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    const presented = /^Bearer (.+)$/.exec(req.authorization ?? '')?.[1] ?? '';
    if (!constantTimeEqual(presented, token))
      return error(
        401,
        'Unauthorized',
        'A valid operator token is required: Authorization: Bearer <CAMS_OPERATOR_TOKEN>.',
      );
    try {
      const faultId = req.path.startsWith('/_admin/faults/')
        ? req.path.slice('/_admin/faults/'.length)
        : undefined;
      const route = `${req.method} ${faultId === undefined ? req.path : '/_admin/faults/:id'}`;
      switch (route) {
        case 'GET /_admin/outbox':
          return {
            status: 200,
            body: { Messages: await operator.outbox(req.query.get('phoneNumber') ?? undefined) },
          };
        case 'GET /_admin/numbers':
          return {
            status: 200,
            body: { Numbers: await operator.numbers(req.query.get('custSpaceId') ?? '') },
          };
        case 'GET /_admin/faults':
          return { status: 200, body: { Faults: await operator.listFaults() } };
        case 'POST /_admin/faults': {
          const b = json(req.body);
          const fault = await operator.addFault({
            operation: String(b.operation ?? ''),
            phoneNumber: b.phoneNumber === undefined ? undefined : String(b.phoneNumber),
            custSpaceId: b.custSpaceId === undefined ? undefined : String(b.custSpaceId),
            preset: b.preset === undefined ? undefined : String(b.preset),
            code: typeof b.code === 'number' ? b.code : undefined,
            subcode: typeof b.subcode === 'number' ? b.subcode : undefined,
            message: typeof b.message === 'string' ? b.message : undefined,
            times: b.times === 'always' ? 'always' : typeof b.times === 'number' ? b.times : undefined,
          });
          return { status: 201, body: { Fault: fault } };
        }
        case 'DELETE /_admin/faults':
          return { status: 200, body: { Cleared: await operator.clearFaults() } };
        case 'DELETE /_admin/faults/:id':
          return {
            status: 200,
            body: { Cleared: await operator.clearFaults(faultId) },
          };
        case 'GET /_admin/clock':
          return { status: 200, body: await operator.clock() };
        case 'POST /_admin/clock':
          return { status: 200, body: await operator.advanceClock(Number(json(req.body).advanceSeconds)) };
        case 'POST /_admin/wabas': {
          const b = json(req.body);
          const waba = await operator.createWaba(
            String(b.name ?? ''),
            b.wabaId === undefined ? undefined : String(b.wabaId),
          );
          return { status: 201, body: { Waba: waba } };
        }
        case 'GET /_admin/webhooks':
          return {
            status: 200,
            body: { Events: await operator.webhookEvents(req.query.get('accountId') ?? '') },
          };
        case 'GET /_admin/audit': {
          const q = (name: string) => req.query.get(name) ?? undefined;
          const filters = {
            account: q('account'),
            action: q('action'),
            code: q('code'),
            since: q('since'),
            until: q('until'),
            limit: q('limit'),
            cursor: q('cursor'),
          };
          return { status: 200, body: await operator.auditEvents(filters) };
        }
        default:
          return error(404, 'InvalidApi.NotFound', `No operator endpoint ${req.method} ${req.path}.`);
      }
    } catch (e) {
      if (e instanceof AdminError || e instanceof SyntaxError)
        return error(400, 'InvalidParameter', e.message);
      throw e;
    }
  };
}

/** What the audit trail keeps of an operator call: the verb, the resource it named, the result. */
function operatorAuditEvent(req: AdminRequest, answer: AdminAnswer, sourceIp: string, requestId: string) {
  let fields: Record<string, unknown> = {};
  try {
    fields = json(req.body);
  } catch {
    // a body that is not a JSON object names no resource
  }
  const named = (v: unknown) => (typeof v === 'string' && v !== '' ? v.slice(0, 64) : undefined);
  const custSpaceId = named(fields.custSpaceId);
  const phoneNumber = named(fields.phoneNumber)?.replace(/\D/g, '');
  const code = (answer.body as { Code?: unknown } | null)?.Code;
  return {
    requestId,
    identity: answer.status === 401 ? 'unknown' : 'operator',
    action: `${req.method} ${req.path.slice(0, 128)}`,
    ...(custSpaceId === undefined ? {} : { custSpaceId }),
    ...(phoneNumber === undefined || phoneNumber === '' ? {} : { phoneNumber }),
    code: typeof code === 'string' ? code : 'OK',
    sourceIp,
  };
}

export interface OperatorRouteOptions {
  /** CAMS_OPERATOR_TOKEN; without it the endpoints answer 404. */
  readonly token: string | undefined;
  readonly maxBodyBytes: number;
  /** The store's unit of work: no answer is sent before the request's writes are durable. */
  readonly durably: Durably;
}

/** The operator API under /_admin/ (not part of the CAMS wire protocol): JSON in, JSON out. */
export function operatorRoute(operator: Operator, log: Logger, options: OperatorRouteOptions): Route {
  const handler = adminHandler(operator, options.token);
  return {
    name: 'operator',
    matches: (path) => path.startsWith(OPERATOR_PREFIX),
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://admin');
      // One per request, as the gateway's: the answer's header, an error's body, the log and the audit trail.
      const requestId = randomUUID().toUpperCase();
      let out: AdminAnswer;
      try {
        const body = await readBody(req, options.maxBodyBytes);
        const request: AdminRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          authorization: req.headers.authorization,
          body,
        };
        out = await options.durably(async () => {
          const answer = await handler(request);
          // Recorded in the same unit of work as the write it describes.
          if (options.token !== undefined && (request.method !== 'GET' || answer.status === 401))
            await operator.recordAudit(
              operatorAuditEvent(request, answer, req.socket.remoteAddress ?? '', requestId),
            );
          return answer;
        });
      } catch (e) {
        const gone = clientAbortCode(e);
        if (gone !== undefined) {
          log.info({ requestId, admin: url.pathname, reason: gone }, 'client went away');
          return;
        }
        if (!(e instanceof BodyTooLarge))
          log.error({ err: e, requestId, admin: url.pathname }, 'operator request failed');
        out =
          e instanceof BodyTooLarge
            ? error(413, 'RequestEntity.TooLarge', 'The request body is larger than this service accepts.')
            : error(500, 'InternalError', 'The request processing has failed due to some unknown error.');
      }
      log.info({ requestId, admin: `${req.method} ${url.pathname}`, status: out.status }, 'operator request');
      // An error's body carries the RequestId first, as the gateway's envelope does (cams-api.md §2.4).
      const body = out.status >= 400 ? { RequestId: requestId, ...(out.body as object) } : out.body;
      const text = JSON.stringify(body);
      res.writeHead(out.status, {
        'content-type': 'application/json;charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'x-acs-request-id': requestId,
      });
      res.end(text);
    },
  };
}
