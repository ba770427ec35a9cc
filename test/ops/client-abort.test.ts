/**
 * A client that goes away (its connection reset or closed under a request still arriving) is nothing
 * the service did wrong: one info line in the log stream, without an error object or a stack, on the
 * gateway, on the operator API and before any request was parsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSocket } from '../support/raw-http.js';
import { startServer, type TestServer } from '../support/server.js';

const TOKEN = 'operator-token-0123456789';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ CAMS_OPERATOR_TOKEN: TOKEN });
});
afterAll(() => s.close());

/** Waits until a line matching `match` is logged after index `from`; returns it. */
async function logged(from: number, match: (line: Record<string, unknown>) => boolean) {
  for (let i = 0; i < 200; i++) {
    const line = s.logs.slice(from).find(match);
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nothing logged: ${JSON.stringify(s.logs.slice(from))}`);
}

/** The lines from `from` on hold no error object, no stack and nothing at error level. */
function expectNoErrorLines(from: number) {
  const lines = s.logs.slice(from);
  for (const line of lines) {
    expect(line.level as number).toBeLessThan(50);
    expect(line).not.toHaveProperty('err');
    expect(line).not.toHaveProperty('stack');
    expect(JSON.stringify(line)).not.toMatch(/\\n\s+at /);
  }
}

describe('a client that goes away', () => {
  it.each([
    ['the gateway', '/', {}],
    ['the operator API', '/_admin/faults', { authorization: `Bearer ${TOKEN}` }],
  ])('mid-body, on %s, is one info line without a stack', async (_name, path, extra) => {
    const from = s.logs.length;
    const socket = await rawSocket(s.port);
    const headers = Object.entries({
      host: s.endpoint,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': '1000',
      ...extra,
    }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`POST ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\nAction=Query`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.resetAndDestroy();
    const line = await logged(from, (l) => l.msg === 'client went away');
    expect(line).toMatchObject({ level: 30, reason: 'ECONNRESET' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(s.logs.slice(from).filter((l) => l.msg === 'client went away')).toHaveLength(1);
    expectNoErrorLines(from);
  });

  it('mid-head is one info line without a stack', async () => {
    const from = s.logs.length;
    const socket = await rawSocket(s.port);
    socket.write(`POST / HTTP/1.1\r\nHost: ${s.endpoint}\r\nX-Half: `);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.resetAndDestroy();
    const line = await logged(from, (l) => l.msg === 'client went away');
    expect(line).toMatchObject({ level: 30, reason: 'ECONNRESET' });
    expectNoErrorLines(from);
  });
});
