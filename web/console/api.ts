/**
 * The console's calls to its API (src/web/console/console-api.ts): JSON in and out, the session cookie
 * sent by the browser, and the session's CSRF token in `X-Console-Csrf` on every write.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let onSignedOut: () => void = () => {};

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the server no longer knows the session (expired, signed out elsewhere, restarted). */
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

export async function api<T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers['x-console-csrf'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/console/api/${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'NetworkError', 'The server did not answer; is it running?');
  }
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new ApiError(res.status, 'BadAnswer', `The server answered ${res.status} without JSON.`);
  }
  if (!res.ok) {
    const error = new ApiError(
      res.status,
      String(parsed.Code ?? res.status),
      String(parsed.Message ?? res.statusText),
    );
    if (res.status === 401 && path !== 'session') onSignedOut();
    throw error;
  }
  return parsed as T;
}

/** A path segment or query value, encoded. */
export const seg = (value: string): string => encodeURIComponent(value);

export function queryString(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}
