import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { AdminHandler } from '../operator/admin-http.js';
import type { PipelineDeps } from './context.js';
import { fail } from '../errors/index.js';
import { runPipeline } from './pipeline.js';
import { errorAnswer, type Answer } from './serialize.js';

export interface HttpOptions {
  readonly maxBodyBytes: number;
  readonly trustProxy: boolean;
  /** Resolves when the request's writes are durable: no answer is sent before (group commit). */
  readonly flush?: () => Promise<void>;
  /** Operator endpoints under /_admin/ (not part of the CAMS wire protocol). */
  readonly admin?: AdminHandler;
}

const ADMIN_PREFIX = '/_admin/';

class BodyTooLarge extends Error {}

/** Reads the whole body (chunked or not), refusing more than `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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

/** The HTTP edge: raw request in, pipeline, answer out, one access-log line per request. */
export function createGatewayServer(deps: PipelineDeps, log: Logger, options: HttpOptions): Server {
  return createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const hostId = (req.headersDistinct.host?.[0] ?? 'cams').replace(/:\d+$/, '');
    let answer: Answer;
    let requestId: string;
    let action: string | undefined;
    try {
      const body = await readBody(req, options.maxBodyBytes);
      if (options.admin !== undefined && (req.url ?? '').startsWith(ADMIN_PREFIX)) {
        const url = new URL(req.url ?? '/', 'http://admin');
        const out = await options.admin({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          authorization: req.headers.authorization,
          body,
        });
        await options.flush?.();
        log.info({ admin: `${req.method} ${url.pathname}`, status: out.status }, 'operator request');
        const text = JSON.stringify(out.body);
        res.writeHead(out.status, {
          'content-type': 'application/json;charset=utf-8',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
        return;
      }
      const result = await runPipeline(
        {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headersDistinct,
          body,
          sourceIp: sourceIp(req, options.trustProxy),
          secure: isSecure(req, options.trustProxy),
        },
        deps,
        log,
        hostId,
      );
      answer = result.answer;
      requestId = result.ctx.requestId;
      action = result.ctx.actionName;
      // Nothing is acknowledged before it is durable: wait for the shared commit of this request's writes.
      await options.flush?.().catch((error: unknown) => {
        result.ctx.log.error({ err: error }, 'commit failed');
        const env = { requestId, hostId, format: result.ctx.format, actionName: action };
        answer = errorAnswer(env, fail('ServiceUnavailable'));
      });
      if (log.isLevelEnabled('info')) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        result.ctx.log.info({ action, status: answer.status, ms }, 'request');
      }
    } catch (error) {
      requestId = crypto.randomUUID().toUpperCase();
      const serviceError =
        error instanceof BodyTooLarge ? fail('RequestEntity.TooLarge') : fail('InternalError');
      if (!(error instanceof BodyTooLarge))
        log.error({ err: error, requestId }, 'request failed before the pipeline');
      answer = errorAnswer({ requestId, hostId, format: 'JSON', actionName: undefined }, serviceError);
      log.info({ requestId, status: answer.status }, 'request');
    }
    res.writeHead(answer.status, {
      'content-type': answer.contentType,
      'content-length': Buffer.byteLength(answer.body),
      'x-acs-request-id': requestId,
    });
    res.end(answer.body);
  });
}
