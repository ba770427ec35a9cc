/**
 * The Graph client against the HTTP simulator over real HTTP, with network faults: timeouts, 5xx,
 * 429/80008 with and without a wait, token errors, and creates whose outcome is unknown. The client's
 * sleep is injected (it records the wait and returns at once); timeouts are real and short.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { upstreamFailure, definitiveRefusal } from '../../src/domain/upstream-errors.js';
import { createLogger } from '../../src/log/logger.js';
import { GraphApiError } from '../../src/upstream/graph/graph-error.js';
import { FAULT_PRESETS } from '../../src/upstream/simulator/faults.js';
import { NETWORK_FAULTS } from '../../src/upstream/simulator/http/network-faults.js';
import { openGraph, TOKEN, type GraphHarness } from './harness.js';

const A = { cc: '86', phoneNumber: '13800138000', verifiedName: 'Alibaba Cloud' };
let h: GraphHarness;
afterEach(() => h?.close());

async function caught(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

describe('Graph client: timeouts and 5xx', () => {
  it('fails a call within its timeout, and retries a read that timed out', async () => {
    h = await openGraph({}, { timeoutMs: 150 });
    const waba = await h.sim.createWaba('Acme');
    const { id } = await h.provider.createPhoneNumber(waba, A);
    h.server.faults.add(NETWORK_FAULTS.slow('getPhoneNumber', 1_500));
    const started = Date.now();
    const error = await caught(h.client({ retry: { maxAttempts: 1 } }).getPhoneNumber(id));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toContain(`GET /v23.0/${id} timed out after 150 ms`);
    expect(upstreamFailure(error).code).toBe('Upstream.Unavailable');

    h.server.faults.add(NETWORK_FAULTS.slow('getPhoneNumber', 1_500));
    expect((await h.provider.getPhoneNumber(id)).id).toBe(id);
    expect(h.sleeps).toEqual([150]);
  });

  it('retries reads on 5xx with jittered exponential backoff, then gives up', async () => {
    h = await openGraph();
    const waba = await h.sim.createWaba('Acme');
    await h.provider.createPhoneNumber(waba, A);
    h.server.faults.add({ ...NETWORK_FAULTS.unavailable('listPhoneNumbers', 503), times: 1 });
    h.server.faults.add({
      operation: 'listPhoneNumbers',
      response: { status: 502, body: '<html>Bad Gateway</html>' },
    });
    expect(await h.provider.listPhoneNumbers(waba)).toHaveLength(1);
    expect(h.sleeps).toEqual([150, 300]);

    h.sleeps.length = 0;
    h.server.faults.add({ ...NETWORK_FAULTS.unavailable('getWaba', 500), times: 5 });
    const error = await caught(h.provider.getWaba(waba));
    expect(error).toBeInstanceOf(GraphApiError);
    expect(error).toMatchObject({ code: 2, httpStatus: 500, transient: true, fbtraceId: expect.any(String) });
    expect(h.sleeps).toEqual([150, 300]);
    expect(upstreamFailure(error).code).toBe('Upstream.Unavailable');
  });

  it('does not retry request_code after a 5xx (a new code would void the first), but retries register', async () => {
    h = await openGraph();
    const waba = await h.sim.createWaba('Acme');
    const { id } = await h.provider.createPhoneNumber(waba, A);
    h.server.faults.add(NETWORK_FAULTS.unavailable('requestCode', 503, 'after'));
    await expect(h.provider.requestCode(id, { method: 'SMS', language: 'en_US' })).rejects.toMatchObject({
      code: 2,
      httpStatus: 503,
    });
    expect(h.sleeps).toEqual([]);
    const sent = await h.sim.listOutbox({ phoneNumberId: id });
    expect(sent).toHaveLength(1);
    await h.provider.verifyCode(id, sent[0]!.code);
    h.clock.advance(h.sim.options.nameReviewDelayMs);
    // The register happened; its answer was lost in a 503; the retry with the same PIN succeeds.
    h.server.faults.add(NETWORK_FAULTS.unavailable('register', 503, 'after'));
    await h.provider.register(id, '123456');
    expect(h.sleeps).toEqual([150]);
    expect((await h.sim.getPhoneNumber(id)).status).toBe('CONNECTED');
  });
});

describe('Graph client: rate limits', () => {
  it('honours Retry-After on 429, and backs off without it; a throttled create is retried', async () => {
    h = await openGraph();
    const waba = await h.sim.createWaba('Acme');
    h.server.faults.add(NETWORK_FAULTS.tooManyRequests('createPhoneNumber', 3));
    const created = await h.provider.createPhoneNumber(waba, A);
    expect(h.sleeps).toEqual([3_000]);
    expect(await h.sim.listPhoneNumbers(waba)).toEqual([expect.objectContaining({ id: created.id })]);
    h.sleeps.length = 0;
    h.server.faults.add(NETWORK_FAULTS.tooManyRequests('getWaba'));
    expect((await h.provider.getWaba(waba)).id).toBe(waba);
    expect(h.sleeps).toEqual([150]);
  });

  it("honours 80008's x-business-use-case-usage wait up to a cap, and fails at once beyond it", async () => {
    h = await openGraph({}, { retry: { maxRetryAfterMs: 120_000 } });
    const waba = await h.sim.createWaba('Acme');
    h.server.faults.add(NETWORK_FAULTS.wabaThrottled('listPhoneNumbers', 1));
    expect(await h.provider.listPhoneNumbers(waba)).toEqual([]);
    expect(h.sleeps).toEqual([60_000]);
    h.sleeps.length = 0;
    h.server.faults.add(NETWORK_FAULTS.wabaThrottled('listPhoneNumbers'));
    expect(await h.provider.listPhoneNumbers(waba)).toEqual([]);
    expect(h.sleeps).toEqual([150]);

    h.sleeps.length = 0;
    h.server.faults.add(NETWORK_FAULTS.wabaThrottled('getWaba', 10));
    const error = await caught(h.provider.getWaba(waba));
    expect(error).toMatchObject({ code: 80008, httpStatus: 400, retryAfterMs: 600_000 });
    expect(h.sleeps).toEqual([]);
    expect(upstreamFailure(error).code).toBe('Upstream.RateLimited');
  });
});

describe('Graph client: tokens', () => {
  it('does not retry a token error (190, HTTP 401) and maps it; the token is never shown', async () => {
    const lines: string[] = [];
    const log = createLogger(
      'debug',
      new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    h = await openGraph({}, { log });
    const waba = await h.sim.createWaba('Acme');
    const wrong = h.client({ accessToken: 'expired-token-abcdef0123456789' });
    const error = await caught(wrong.getWaba(waba));
    expect(error).toMatchObject({ code: 190, httpStatus: 401, type: 'OAuthException' });
    expect(h.sleeps).toEqual([]);
    expect(upstreamFailure(error).code).toBe('Upstream.TokenInvalid');
    expect(definitiveRefusal(error)).toBe(true);

    const { id } = await h.provider.createPhoneNumber(waba, A);
    await h.sim.injectFault({ operation: 'getPhoneNumber', error: FAULT_PRESETS['190']!, times: 1 });
    h.server.faults.add(NETWORK_FAULTS.unavailable('getPhoneNumber', 503));
    await expect(h.provider.getPhoneNumber(id)).rejects.toMatchObject({ code: 190, subcode: 463 });
    expect(h.sleeps).toEqual([150]);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain('expired-token-abcdef0123456789');
    }
    expect(lines.join('')).toContain('Graph API call failed; retrying');
  });

  it("uses a WABA's own token where one is given", async () => {
    const wabaToken = 'waba-own-token-0123456789abcdef';
    h = await openGraph({}, {}, [wabaToken]);
    const waba = await h.sim.createWaba('Acme');
    const client = h.client({
      accessToken: 'not-accepted',
      tokenFor: (w) => (w === waba ? wabaToken : undefined),
    });
    expect((await client.getWaba(waba)).id).toBe(waba);
    const { id } = await client.createPhoneNumber(waba, A);
    expect((await client.getPhoneNumber(id)).wabaId).toBe(waba);
    // A client that never saw the number cannot tell its WABA, so it uses the deployment's token.
    const fresh = h.client({ accessToken: 'not-accepted', tokenFor: () => wabaToken });
    await expect(fresh.getPhoneNumber(id)).rejects.toMatchObject({ code: 190 });
  });
});

describe('Graph client: creates with an unknown outcome', () => {
  it('finds a number whose create timed out after it happened, without creating it twice', async () => {
    h = await openGraph({}, { timeoutMs: 150 });
    const waba = await h.sim.createWaba('Acme');
    h.server.faults.add(NETWORK_FAULTS.slow('createPhoneNumber', 1_500, 'after'));
    const created = await h.provider.createPhoneNumber(waba, A);
    expect(created).toMatchObject({ e164: '8613800138000', wabaId: waba, status: 'PENDING' });
    expect(h.sleeps).toEqual([]);
    expect((await h.sim.listPhoneNumbers(waba)).map((n) => n.id)).toEqual([created.id]);
    expect(h.server.faults.fired).toEqual([{ id: 1, operation: 'createPhoneNumber' }]);
  });

  it('finds a number whose create answered 5xx or dropped the connection after it happened', async () => {
    h = await openGraph();
    const waba = await h.sim.createWaba('Acme');
    h.server.faults.add(NETWORK_FAULTS.unavailable('createPhoneNumber', 500, 'after'));
    const first = await h.provider.createPhoneNumber(waba, A);
    h.server.faults.add(NETWORK_FAULTS.lost('createPhoneNumber', 0, 'after'));
    const second = await h.provider.createPhoneNumber(waba, { ...A, phoneNumber: '13800138001' });
    expect((await h.sim.listPhoneNumbers(waba)).map((n) => n.id)).toEqual([first.id, second.id]);
    expect(h.sleeps).toEqual([]);
  });

  it('fails a create that failed before it happened, and no number exists', async () => {
    h = await openGraph({}, { timeoutMs: 150 });
    const waba = await h.sim.createWaba('Acme');
    h.server.faults.add(NETWORK_FAULTS.unavailable('createPhoneNumber', 503));
    const unavailable = await caught(h.provider.createPhoneNumber(waba, A));
    expect(unavailable).toMatchObject({ code: 2, httpStatus: 503 });
    expect(definitiveRefusal(unavailable)).toBe(false);
    h.server.faults.add(NETWORK_FAULTS.lost('createPhoneNumber', 0));
    const dropped = await caught(h.provider.createPhoneNumber(waba, A));
    expect(upstreamFailure(dropped).code).toBe('Upstream.Unavailable');
    h.server.faults.add(NETWORK_FAULTS.lost('createPhoneNumber', 1_500));
    const timedOut = await caught(h.provider.createPhoneNumber(waba, A));
    expect(timedOut.name).toBe('TimeoutError');
    expect(await h.sim.listPhoneNumbers(waba)).toEqual([]);
    expect(h.sleeps).toEqual([]);
  });
});

describe('Graph client: a create that happened but cannot be read back', () => {
  it('is not reported as a refusal, so the caller keeps track of the number', async () => {
    h = await openGraph();
    const waba = await h.sim.createWaba('Acme');
    await h.sim.injectFault({ operation: 'getPhoneNumber', error: FAULT_PRESETS['131031']!, times: 1 });
    const error = await caught(h.provider.createPhoneNumber(waba, A));
    expect(error).toMatchObject({ code: 131031, httpStatus: 502 });
    expect(error.message).toMatch(/^Phone number \d+ was created on WABA \d+, but reading it back failed/);
    expect(definitiveRefusal(error)).toBe(false);
    expect(await h.sim.listPhoneNumbers(waba)).toHaveLength(1);
  });
});

describe('Graph client: Meta errors off the wire as CAMS errors (docs/meta-errors.md)', () => {
  it("an unknown WABA is Meta's 100/33 GraphMethodException: the operator's token cannot see it (502), not InvalidParameter", async () => {
    h = await openGraph();
    const error = await caught(h.provider.getWaba('999999999'));
    expect(error).toMatchObject({ code: 100, subcode: 33, httpStatus: 400, type: 'GraphMethodException' });
    expect(h.sleeps).toEqual([]);
    const failure = upstreamFailure(error);
    expect({ code: failure.code, status: failure.status }).toEqual({
      code: 'Upstream.ObjectNotAccessible',
      status: 502,
    });
    expect(failure.message).toMatch(/ask the operator .* grant the token.* access to the WABA/);
    expect(failure.message).toContain('(WhatsApp error 100/33: ');
  });

  it("131031 and 368 arrive as HTTP 403, are not retried, and are the business's move (403)", async () => {
    h = await openGraph();
    const waba = await h.sim.createWaba('Acme');
    const { id } = await h.provider.createPhoneNumber(waba, A);
    await h.sim.injectFault({ operation: 'getPhoneNumber', error: FAULT_PRESETS['131031']!, times: 1 });
    const locked = await caught(h.provider.getPhoneNumber(id));
    expect(locked).toMatchObject({ code: 131031, httpStatus: 403 });
    expect(upstreamFailure(locked)).toMatchObject({ code: 'Waba.Locked', status: 403 });
    expect(upstreamFailure(locked).message).toContain('appeal in Meta Business Manager');
    await h.sim.injectFault({
      operation: 'getPhoneNumber',
      error: { code: 368, message: 'Temporarily blocked for policies violations' },
      times: 1,
    });
    const blocked = await caught(h.provider.getPhoneNumber(id));
    expect(blocked).toMatchObject({ code: 368, httpStatus: 403 });
    expect(upstreamFailure(blocked)).toMatchObject({ code: 'Waba.PolicyBlocked', status: 403 });
    expect(h.sleeps).toEqual([]);
  });

  it("200000 on create is PhoneNumber.AddRefused and a definitive refusal; 80008's wait is in the message", async () => {
    h = await openGraph({}, { retry: { maxRetryAfterMs: 120_000 } });
    const waba = await h.sim.createWaba('Acme');
    await h.provider.createPhoneNumber(waba, A);
    const refused = await caught(h.provider.createPhoneNumber(waba, A));
    expect(refused).toMatchObject({ code: 200000, httpStatus: 400 });
    expect(definitiveRefusal(refused)).toBe(true);
    expect(upstreamFailure(refused)).toMatchObject({ code: 'PhoneNumber.AddRefused', status: 400 });

    h.server.faults.add(NETWORK_FAULTS.wabaThrottled('getWaba', 10));
    const throttled = upstreamFailure(await caught(h.provider.getWaba(waba)));
    expect(throttled).toMatchObject({ code: 'Upstream.RateLimited', status: 503 });
    expect(throttled.message).toMatch(/WhatsApp asks to wait 10 minutes\.$/);
  });
});

describe('Graph client: paging', () => {
  it('follows cursors with the token in the header only', async () => {
    const urls: string[] = [];
    h = await openGraph(
      {},
      {
        pageSize: 2,
        fetch: (input, init) => {
          urls.push(String(input));
          return fetch(input, init);
        },
      },
    );
    const waba = await h.sim.createWaba('Acme');
    for (let i = 0; i < 5; i++) await h.sim.createPhoneNumber(waba, { ...A, phoneNumber: `1380013800${i}` });
    urls.length = 0;
    const listed = await h.provider.listPhoneNumbers(waba);
    expect(listed).toEqual(await h.sim.listPhoneNumbers(waba));
    expect(listed.map((n) => n.phoneNumber).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `1380013800${i}`));
    expect(urls).toHaveLength(3);
    expect(urls[1]).toContain('after=');
    for (const url of urls) {
      expect(url).toContain('limit=2');
      expect(url).not.toContain('access_token');
    }
  });
});
