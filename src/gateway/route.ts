import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { fail, ServiceError } from '../errors/index.js';
import { BodyTooLarge, readBody } from '../http/read-body.js';
import type { Route } from '../http/route.js';
import { withUpstreamDeadline } from '../upstream/deadline.js';
import type { Durably } from '../store/index.js';
import type { GatewayAudit } from './audit.js';
import type { PipelineDeps } from './context.js';
import { runPipeline, type PipelineResult } from './pipeline.js';
import { errorAnswer, internalError, type Answer } from './serialize.js';

export interface GatewayRouteOptions {
  readonly maxBodyBytes: number;
  readonly trustProxy: boolean;
  /** The store's unit of work: no answer is sent before the request's writes are durable. */
  readonly durably: Durably;
  /** Told about every answered request (the request metrics); must not throw. */
  readonly observe?: (request: AnsweredRequest) => void;
  /** The audit trail: writes and denials are recorded inside the unit of work (gateway/audit.ts). */
  readonly audit?: GatewayAudit;
  /** The upstream budget of each request (upstream/deadline.ts); none with the embedded simulator. */
  readonly upstreamDeadlineMs?: number;
}

/** One answered request, with labels of bounded cardinality. */
export interface AnsweredRequest {
  /** The implemented action named; `unknown` for another name, `none` when the request named none. */
  readonly action: string;
  /** `OK` or the catalogued error code answered. */
  readonly code: string;
  readonly status: number;
  readonly seconds: number;
}

function actionLabel(ran: PipelineResult | undefined): string {
  if (ran?.ctx.action !== undefined) return ran.ctx.actionName!;
  return ran?.ctx.actionName === undefined ? 'none' : 'unknown';
}

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

/**
 * The CAMS wire protocol on the port: every request no earlier route took. Raw request in, the
 * pipeline inside one unit of work, answer out, one access-log line per request.
 */
export function gatewayRoute(deps: PipelineDeps, log: Logger, options: GatewayRouteOptions): Route {
  return {
    name: 'cams-gateway',
    matches: () => true,
    async handle(req, res) {
      const started = process.hrtime.bigint();
      const hostId = (req.headersDistinct.host?.[0] ?? 'cams').replace(/:\d+$/, '');
      let answer: Answer;
      let requestId: string;
      let code: string;
      let ran: PipelineResult | undefined;
      try {
        const body = await readBody(req, options.maxBodyBytes);
        const http = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headersDistinct,
          body,
          sourceIp: sourceIp(req, options.trustProxy),
          secure: isSecure(req, options.trustProxy),
        };
        // The pipeline never throws; the unit of work throws only when the commit of its writes fails.
        const box: { ran?: PipelineResult } = {};
        try {
          const run = () => runPipeline(http, deps, log, hostId);
          const budget = options.upstreamDeadlineMs;
          ran = await options.durably(async () => {
            box.ran = await (budget === undefined ? run() : withUpstreamDeadline(budget, run));
            await options.audit?.record(box.ran); // durable before the answer, with the request's writes
            return box.ran;
          });
        } catch (error) {
          if (box.ran === undefined) throw error;
          ran = box.ran;
          ran.ctx.log.error({ err: error instanceof ServiceError ? error.cause : error }, 'commit failed');
          const { requestId, format, actionName, product } = ran.ctx;
          ran = {
            ...ran,
            answer: errorAnswer(
              { requestId, hostId, format, actionName, product },
              fail('ServiceUnavailable'),
            ),
            code: 'ServiceUnavailable',
          };
        }
        answer = ran.answer;
        requestId = ran.ctx.requestId;
        code = ran.code;
        if (log.isLevelEnabled('info')) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          ran.ctx.log.info({ action: ran.ctx.actionName, status: answer.status, code, ms }, 'request');
        }
      } catch (error) {
        requestId = crypto.randomUUID().toUpperCase();
        const serviceError = error instanceof BodyTooLarge ? fail('RequestEntity.TooLarge') : internalError();
        if (!(error instanceof BodyTooLarge))
          log.error({ err: error, requestId }, 'request failed before the pipeline');
        answer = errorAnswer({ requestId, hostId, format: 'JSON', actionName: undefined }, serviceError);
        code = serviceError.code;
        log.info({ requestId, status: answer.status, code }, 'request');
      }
      options.observe?.({
        action: actionLabel(ran),
        code,
        status: answer.status,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
      res.writeHead(answer.status, {
        'content-type': answer.contentType,
        'content-length': Buffer.byteLength(answer.body),
        'x-acs-request-id': requestId,
      });
      res.end(answer.body);
    },
  };
}
