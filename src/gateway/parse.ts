import { fail, invalidParameter } from '../errors/index.js';
import { parseQueryPairs } from './auth/encode.js';
import type { RequestContext } from './context.js';

const FORM = 'application/x-www-form-urlencoded';

function header(ctx: RequestContext, name: string): string | undefined {
  return ctx.http.headers[name]?.[0];
}

/**
 * parse: method, path, parameters = query ∪ form body (cams-api.md §1.1: business parameters
 * arrive in either). A parameter given twice is refused: no official client does it, and which copy
 * would win is exactly the ambiguity a signature must not have.
 */
export function parse(ctx: RequestContext): void {
  const { method, url } = ctx.http;
  if (method !== 'GET' && method !== 'POST') throw fail('UnsupportedHTTPMethod');
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path !== '/') throw fail('InvalidApi.NotFound');
  const query = parseQueryPairs(q < 0 ? '' : url.slice(q + 1));
  if (query === undefined) throw invalidParameter('query string', 'malformed percent-encoding.');
  ctx.queryPairs = query;
  const contentType = header(ctx, 'content-type') ?? '';
  if (ctx.http.body.length > 0 && contentType.toLowerCase().startsWith(FORM)) {
    const body = parseQueryPairs(ctx.http.body.toString('utf8'));
    if (body === undefined) throw invalidParameter('form body', 'malformed percent-encoding.');
    ctx.bodyPairs = body;
  }
  for (const [name, value] of [...ctx.queryPairs, ...ctx.bodyPairs]) {
    if (ctx.params.has(name)) throw invalidParameter(name, 'given more than once.');
    ctx.params.set(name, value);
  }
}
