import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Route } from '../../../http/route.js';
import { simulatorHarness, type TestSimulator } from '../testing.js';
import { serveRoutes } from '../../../server/server.js';
import { simulatorRoute, startSimulatorServer, type SimulatorServer } from './server.js';

const TOKEN = 'simulator-token-0123456789abcdef';
const harness = simulatorHarness();
let t: TestSimulator;
let server: SimulatorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await harness.cleanup();
});

async function start(): Promise<string> {
  t = await harness.open();
  server = await startSimulatorServer({ sim: t.sim, db: t.db, tokens: [TOKEN] });
  return t.sim.createWaba('Acme');
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: Record<string, unknown> };
}

async function call(
  method: string,
  path: string,
  options: { token?: string | null; json?: unknown; form?: Record<string, string>; base?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TOKEN}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const res = await fetch(`${options.base ?? server!.baseUrl}${path}`, {
    method,
    headers,
    ...(body ? { body } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

describe('HTTP simulator: wire format', () => {
  it('creates with query parameters, and answers only the fields asked for', async () => {
    const waba = await start();
    const created = await call(
      'POST',
      `/v23.0/${waba}/phone_numbers?cc=86&phone_number=13800138000&verified_name=Alibaba%20Cloud`,
    );
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: expect.stringMatching(/^\d{16}$/) });
    const id = created.body.id as string;
    expect((await call('GET', `/v23.0/${id}?fields=status,is_pin_enabled`)).body).toEqual({
      id,
      status: 'PENDING',
      is_pin_enabled: false,
    });
    expect((await call('GET', `/v23.0/${id}`)).body).toEqual({
      id,
      display_phone_number: '+86 138 0013 8000',
      verified_name: 'Alibaba Cloud',
      quality_rating: 'UNKNOWN',
    });
    expect((await call('GET', `/v23.0/${waba}?fields=name,owner_business_info`)).body).toEqual({
      id: waba,
      name: 'Acme',
      owner_business_info: { id: expect.any(String), name: 'Acme' },
    });
    const unknown = await call('GET', `/v23.0/${id}?fields=status,colour`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 100,
      message: '(#100) Tried accessing nonexisting field (colour) on node type (WhatsAppBusinessPhoneNumber)',
    });
  });

  it('takes form and JSON bodies alike, and JSON-encoded lists in forms', async () => {
    const waba = await start();
    const { id } = (
      await call('POST', `/v23.0/${waba}/phone_numbers`, {
        form: { cc: '86', phone_number: '13800138000', verified_name: 'Alibaba Cloud' },
      })
    ).body as { id: string };
    expect(
      (await call('POST', `/v23.0/${id}/request_code`, { form: { code_method: 'SMS', language: 'en_US' } }))
        .body,
    ).toEqual({
      success: true,
    });
    const [sent] = await t.sim.listOutbox({ phoneNumberId: id });
    expect((await call('POST', `/v23.0/${id}/verify_code`, { json: { code: sent!.code } })).body).toEqual({
      success: true,
    });
    const profile = `/v23.0/${id}/whatsapp_business_profile`;
    expect((await call('GET', profile)).body).toEqual({ data: [{ messaging_product: 'whatsapp' }] });
    await call('POST', profile, {
      form: { messaging_product: 'whatsapp', about: 'Hi', websites: '["https://a.example"]' },
    });
    expect((await call('GET', `${profile}?fields=about,websites`)).body).toEqual({
      data: [{ about: 'Hi', websites: ['https://a.example'] }],
    });
    const missing = await call('POST', `/v23.0/${id}/register`, { json: { pin: '123456' } });
    expect(missing.body.error).toMatchObject({
      code: 100,
      message: '(#100) The parameter messaging_product is required',
    });
  });

  it("answers Meta's error envelope with the error's status and a trace ID", async () => {
    await start();
    const res = await call('GET', '/v23.0/1999999999999999');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        message: expect.stringContaining("Object with ID '1999999999999999' does not exist"),
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
        is_transient: false,
        fbtrace_id: expect.stringMatching(/^[A-Za-z0-9_-]{11}$/),
      },
    });
    expect(res.headers.get('x-fb-trace-id')).toBe(res.body.error!.fbtrace_id);
    expect((await call('GET', '/v23.0/1/unknown_edge')).body.error).toMatchObject({ code: 2500 });
    expect((await call('GET', '/latest/1')).body.error).toMatchObject({ code: 2500 });
    expect((await call('POST', '/v23.0/1', { json: { pin: '123456' } })).body.error).toMatchObject({
      code: 100,
    });
    const expired = await call('GET', '/v20.0/1');
    expect(expired.body.error).toMatchObject({
      code: 100,
      message: expect.stringContaining('past its end of life'),
    });
  });

  it('checks the token: 104 without one, 190 with WWW-Authenticate for a wrong one; access_token works', async () => {
    const waba = await start();
    const none = await call('GET', `/v23.0/${waba}`, { token: null });
    expect(none.body.error).toMatchObject({ code: 104, type: 'OAuthException' });
    const wrong = await call('GET', `/v23.0/${waba}`, { token: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(wrong.headers.get('www-authenticate')).toMatch(/^OAuth "Facebook Platform" "invalid_token" /);
    expect((await call('GET', `/v23.0/${waba}?access_token=${TOKEN}`, { token: null })).status).toBe(200);
  });

  it('pages lists with cursors and next/previous links', async () => {
    const waba = await start();
    for (let i = 0; i < 3; i++) {
      await t.sim.createPhoneNumber(waba, {
        cc: '86',
        phoneNumber: `1380013800${i}`,
        verifiedName: 'Alibaba Cloud',
      });
    }
    const first = await call('GET', `/v23.0/${waba}/phone_numbers?limit=2&fields=id`);
    const paging = first.body.paging as { next: string; cursors: { after: string } };
    expect(first.body.data).toHaveLength(2);
    expect(paging.next).toBe(
      `${server!.baseUrl}/v23.0/${waba}/phone_numbers?limit=2&fields=id&after=${paging.cursors.after}`,
    );
    const second = await call('GET', paging.next.slice(server!.baseUrl.length));
    expect(second.body.data).toHaveLength(1);
    expect(second.body.paging).toEqual({
      cursors: expect.any(Object),
      previous: expect.stringContaining('before='),
    });
    const all = (await call('GET', `/v23.0/${waba}/phone_numbers`)).body.data as Array<{ id: string }>;
    expect([
      ...(first.body.data as Array<{ id: string }>),
      ...(second.body.data as Array<{ id: string }>),
    ]).toEqual(all.map((n) => ({ id: n.id })));
    expect((await call('GET', `/v23.0/${waba}/phone_numbers?limit=101`)).body.error).toMatchObject({
      code: 100,
    });
  });
});

describe('HTTP simulator: a route under a prefix of another server', () => {
  it('serves the prefix and leaves every other path to the server', async () => {
    t = await harness.open();
    const waba = await t.sim.createWaba('Acme');
    const gateway: Route = {
      name: 'gateway',
      matches: () => true,
      handle: async (_req, res) => void res.end('{"gateway":true}'),
    };
    const sim = simulatorRoute('/_meta/', { sim: t.sim, db: t.db, tokens: [TOKEN] });
    const host: Server = serveRoutes([sim, gateway], pino({ level: 'silent' }));
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      expect((await call('GET', `/_meta/v23.0/${waba}`, { base })).body).toEqual({ id: waba, name: 'Acme' });
      expect((await call('GET', '/?Action=x', { base })).body).toEqual({ gateway: true });
      expect((await call('GET', '/_metadata', { base })).body).toEqual({ gateway: true });
    } finally {
      await new Promise<void>((resolve) => {
        host.close(() => resolve());
        host.closeAllConnections();
      });
    }
  });
});
