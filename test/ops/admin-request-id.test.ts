/**
 * The operator API's answers carry a RequestId as the gateway's do: in the `x-acs-request-id` header of
 * every answer and, for an error, first in its body; the same ID is in the log line of the request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { UUID } from '../wire/helpers.js';

const TOKEN = 'operator-token-0123456789';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ CAMS_OPERATOR_TOKEN: TOKEN });
});
afterAll(() => s.close());

const admin = (path: string, init: RequestInit = {}, token: string = TOKEN) =>
  fetch(`http://${s.endpoint}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });

describe('/_admin/ errors', () => {
  it.each<[string, () => Promise<Response>, number, string]>([
    ['an unknown endpoint', () => admin('/_admin/nothing-here'), 404, 'InvalidApi.NotFound'],
    ['a wrong token', () => admin('/_admin/faults', {}, 'not-the-operator-token'), 401, 'Unauthorized'],
    [
      'a body that is not JSON',
      () => admin('/_admin/clock', { method: 'POST', body: '{advance' }),
      400,
      'InvalidParameter',
    ],
  ])('%s carries a RequestId in the header and the body', async (_name, call, status, code) => {
    const res = await call();
    expect(res.status).toBe(status);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ RequestId: expect.stringMatching(UUID), Code: code });
    expect(Object.keys(body)[0]).toBe('RequestId');
    expect(res.headers.get('x-acs-request-id')).toBe(body.RequestId);
    expect(s.logs.find((l) => l.msg === 'operator request' && l.requestId === body.RequestId)).toMatchObject({
      status,
    });
  });

  it('a success carries the RequestId header, and its body is unchanged', async () => {
    const res = await admin('/_admin/faults');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-acs-request-id')).toMatch(UUID);
    expect(await res.json()).toEqual({ Faults: [] });
  });
});
