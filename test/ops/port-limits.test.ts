/**
 * The port's limits against a listening server, over raw sockets: what Node's HTTP parser refuses is
 * answered in the CAMS error envelope with a RequestId (a NUL in the head, a head over
 * CAMS_MAX_HEADER_BYTES, an unknown method), a head or body that does not arrive in time is answered
 * 408 and its connection closed, idle keep-alive connections are closed, and connections past
 * CAMS_MAX_CONNECTIONS are closed at once while the others keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, CamsModels, startServer, type TestServer } from '../support/server.js';
import { parseRawAnswer, rawExchange, rawSocket } from '../support/raw-http.js';
import { UUID } from '../wire/helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({
    CAMS_MAX_HEADER_BYTES: '2048',
    CAMS_HEADERS_TIMEOUT_MS: '1000',
    CAMS_REQUEST_TIMEOUT_MS: '1500',
    CAMS_KEEP_ALIVE_TIMEOUT_MS: '300',
  });
});
afterAll(() => s.close());

/** The answer is the gateway's JSON error envelope with the given status and Code, and one RequestId. */
function expectEnvelope(text: string, status: number, code: string): void {
  const answer = parseRawAnswer(text);
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/json;charset=utf-8');
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(body).toMatchObject({ Code: code, RequestId: expect.stringMatching(UUID) });
  expect(typeof body.Message).toBe('string');
  expect(answer.headers['x-acs-request-id']).toBe(body.RequestId);
}

describe('a request Node cannot parse', () => {
  it.each<[string, string | Buffer, number, string]>([
    [
      'a NUL byte in a header value',
      Buffer.from(
        'GET /?Action=QueryChatappPhoneNumbers HTTP/1.1\r\nHost: x\r\nX-Note: a\0b\r\n\r\n',
        'latin1',
      ),
      400,
      'Request.Malformed',
    ],
    [
      'a head over CAMS_MAX_HEADER_BYTES',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(4096)}\r\n\r\n`,
      431,
      'RequestHeader.TooLarge',
    ],
    ['an unknown method', 'BREW / HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'Request.Malformed'],
    [
      'a malformed Content-Length',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n',
      400,
      'Request.Malformed',
    ],
    ['a request line that is not HTTP', 'hello there\r\n\r\n', 400, 'Request.Malformed'],
  ])('%s is answered in the CAMS envelope and the connection closed', async (_name, bytes, status, code) => {
    const outcome = await rawExchange(s.port, [bytes]);
    expectEnvelope(outcome.text, status, code);
    expect(outcome.closed).toBe(true);
    const logged = s.logs.find(
      (l) =>
        l.msg === 'request refused' &&
        l.requestId === JSON.parse(parseRawAnswer(outcome.text).body).RequestId,
    );
    expect(logged).toMatchObject({ level: 30, code, status });
  });

  it('on a keep-alive connection after a good request, is answered after the good one', async () => {
    const outcome = await rawExchange(
      s.port,
      [
        'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
        Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nX-Note: \0\r\n\r\n', 'latin1'),
      ],
      { delayMs: 50 },
    );
    expect(outcome.text.startsWith('HTTP/1.1 200')).toBe(true);
    const second = outcome.text.slice(outcome.text.indexOf('HTTP/1.1', 8));
    expectEnvelope(second, 400, 'Request.Malformed');
    expect(outcome.closed).toBe(true);
  });
});

describe('timeouts', () => {
  it('a head that never ends is answered 408 and closed', async () => {
    const outcome = await rawExchange(s.port, ['POST / HTTP/1.1\r\nHost: x\r\n'], { waitMs: 10_000 });
    expectEnvelope(outcome.text, 408, 'Request.Timeout');
    expect(outcome.closed).toBe(true);
  });

  it('a body trickled slower than CAMS_REQUEST_TIMEOUT_MS allows is answered 408 and closed', async () => {
    const head =
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n';
    // One byte every 100 ms: 1000 bytes would take 100 s; the connection must not live that long.
    const outcome = await rawExchange(s.port, [head, ...Array<string>(1000).fill('a')], {
      delayMs: 100,
      waitMs: 15_000,
    });
    expectEnvelope(outcome.text, 408, 'Request.Timeout');
    expect(outcome.closed).toBe(true);
    // The gateway saw its client go: one info line, no error.
    expect(s.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('an idle keep-alive connection is closed after CAMS_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const outcome = await rawExchange(s.port, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'], {
      waitMs: 10_000,
    });
    expect(parseRawAnswer(outcome.text).status).toBe(200);
    expect(outcome.closed).toBe(true);
  });

  it('the official SDK is unaffected', async () => {
    const res = await camsClient(s, s.root).queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
    );
    expect(res.body?.code).toBe('OK');
  });
});

describe('the connection cap', () => {
  let capped: TestServer;
  beforeAll(async () => {
    capped = await startServer({ CAMS_MAX_CONNECTIONS: '3' });
  });
  afterAll(() => capped.close());

  it('closes a connection past CAMS_MAX_CONNECTIONS at once; the open ones still answer, and a freed slot is reused', async () => {
    const held = await Promise.all([1, 2, 3].map(() => rawSocket(capped.port)));
    // Node counts a connection once it has accepted it: let the three be accepted before the fourth.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = await rawExchange(capped.port, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'], {
      waitMs: 5000,
    });
    expect(extra.closed).toBe(true);
    expect(extra.text).toBe('');
    const answered = await new Promise<string>((resolve) => {
      let text = '';
      held[0]!.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        if (text.includes('\r\n\r\n')) resolve(text);
      });
      held[0]!.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    expect(parseRawAnswer(answered).status).toBe(200);
    expect(capped.logs.some((l) => l.level === 40 && l.maxConnections === 3)).toBe(true);
    await new Promise<void>((resolve) => {
      held[1]!.once('close', () => resolve());
      held[1]!.destroy();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await rawExchange(capped.port, [
      'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ]);
    expect(parseRawAnswer(again.text).status).toBe(200);
    for (const socket of held) socket.destroy();
  });
});
