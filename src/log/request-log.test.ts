import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log.js';

function capture(level: pino.Level) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { log: pino({ level }, stream), lines };
}

describe('RequestLog', () => {
  it('writes every binding given so far with each line, at enabled levels only', async () => {
    const { log, lines } = capture('info');
    let children = 0;
    const child = log.child.bind(log);
    log.child = ((bindings: pino.Bindings) => (children++, child(bindings))) as typeof log.child;
    const request = new RequestLog(log, { requestId: 'R1' });
    const caller = request.with({ accountId: 'A1' });
    caller.debug({ detail: 1 }, 'not written at info');
    expect(children).toBe(0); // nothing written, no pino child made
    caller.info({ status: 200 }, 'request');
    caller.warn({ status: 503 }, 'again');
    request.error({ err: 'x' }, 'before the caller was known');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.msg, l.requestId, l.accountId, l.status])).toEqual([
      ['request', 'R1', 'A1', 200],
      ['again', 'R1', 'A1', 503],
      ['before the caller was known', 'R1', undefined, undefined],
    ]);
    expect(children).toBe(2); // one per RequestLog that wrote, however many lines
  });
});
