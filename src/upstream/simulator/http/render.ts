import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type UpstreamError } from '../../../errors/index.js';

/** An `fbtrace_id` in Meta's shape (11 URL-safe characters), also sent as `x-fb-trace-id`. */
export function fbtraceId(): string {
  return randomBytes(8).toString('base64url').slice(0, 11);
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Meta's error envelope (whatsapp-upstream.md §0.4, §1.10) with the error's own HTTP status. `type` is
 * GraphMethodException for an unknown object (100/33) and OAuthException otherwise, as Meta answers token,
 * permission and WhatsApp errors alike. OAuth errors carry `WWW-Authenticate` (whatsapp-upstream.md §1.1
 * [obs]).
 */
export function errorReply(error: UpstreamError, traceId: string): Reply {
  const type = error.code === 100 && error.subcode === 33 ? 'GraphMethodException' : 'OAuthException';
  const body = {
    error: {
      message: error.message,
      type,
      code: error.code,
      ...(error.subcode === undefined ? {} : { error_subcode: error.subcode }),
      ...(error.userTitle === undefined ? {} : { error_user_title: error.userTitle }),
      ...(error.userMessage === undefined ? {} : { error_user_msg: error.userMessage }),
      is_transient: error.transient,
      fbtrace_id: traceId,
    },
  };
  const headers: Record<string, string> = {};
  if (error.code === 190 || error.code === 0 || error.code === 102 || error.code === 104) {
    const reason = error.code === 190 ? 'invalid_token' : 'invalid_request';
    headers['www-authenticate'] =
      `OAuth "Facebook Platform" "${reason}" "${error.message.replace(/"/g, "'")}"`;
  }
  return { status: error.httpStatus, body, headers };
}

export function send(res: ServerResponse, reply: Reply, traceId: string): void {
  if (res.destroyed || res.headersSent) return;
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'x-fb-trace-id': traceId,
    ...reply.headers,
  });
  res.end(text);
}
