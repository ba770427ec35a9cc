import type { IncomingMessage } from 'node:http';
import { type UpstreamError } from '../../../errors/index.js';
import { invalidParameter } from '../errors.js';

/** A request body larger than this is refused; Graph calls of this API are a few hundred bytes. */
const MAX_BODY_BYTES = 256 * 1024;

export class ParamError extends Error {
  constructor(readonly error: UpstreamError) {
    super(error.message);
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new ParamError(invalidParameter(`The request body is larger than ${MAX_BODY_BYTES} bytes`)));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Graph takes list and object values of form parameters JSON-encoded (e.g. websites=["https://a"]). */
function formValue(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * The call's parameters: query string, then the body as JSON or form (later wins). Meta's reference
 * examples put parameters in the query, register uses JSON and the spec also declares form bodies, so all
 * three are accepted interchangeably (whatsapp-upstream.md §1.1 "Param encoding").
 */
export function parseParams(
  query: URLSearchParams,
  contentType: string | undefined,
  body: Buffer,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of query) params[k] = formValue(v);
  const text = body.toString('utf8');
  if (text.trim() === '') return params;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ParamError(invalidParameter('The request body is not valid JSON'));
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ParamError(invalidParameter('The JSON request body must be an object'));
    }
    return { ...params, ...(parsed as Record<string, unknown>) };
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    for (const [k, v] of new URLSearchParams(text)) params[k] = formValue(v);
    return params;
  }
  throw new ParamError(
    invalidParameter(
      `Content-Type ${type} is not supported here; send JSON or application/x-www-form-urlencoded`,
    ),
  );
}

/** `fields=a,b,c` as a list, or undefined when absent. */
export function fieldsParam(params: Record<string, unknown>): string[] | undefined {
  const raw = params.fields;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}

/** A required string parameter, or Meta's "(#100) The parameter X is required". */
export function required(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value === '')
    throw new ParamError(invalidParameter(`The parameter ${name} is required`));
  return value;
}
