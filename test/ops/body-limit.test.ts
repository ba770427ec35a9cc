/**
 * A body over CAMS_MAX_BODY_BYTES answers 413 RequestEntity.TooLarge in a form the client can read: the
 * server keeps reading (and discarding) the rest of the body up to a bound before it answers, so a client
 * still writing does not see its connection reset instead.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCARD_LIMIT_BYTES } from '../../src/http/read-body.js';
import { camsClient, CamsModels, sdkError, startServer, type TestServer } from '../support/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

const FIVE_MB = 5 * 1024 * 1024;

function post(chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const [host, port] = s.endpoint.split(':');
    const req = request(
      {
        host,
        port: Number(port),
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(chunked ? {} : { 'content-length': String(FIVE_MB) }),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const piece = Buffer.alloc(64 * 1024, 'a');
    for (let sent = 0; sent < FIVE_MB; sent += piece.length) req.write(piece);
    req.end();
  });
}

describe('an oversized body', () => {
  it('reaches the official SDK as RequestEntity.TooLarge, not a reset connection', async () => {
    const error = await sdkError(
      camsClient(s, s.root).addChatappPhoneNumber(
        new CamsModels.AddChatappPhoneNumberRequest({
          custSpaceId: s.root.custSpaceId,
          cc: '86',
          phoneNumber: '13800138000',
          verifiedName: 'x'.repeat(FIVE_MB),
        }),
      ),
    );
    expect(error.code).toBe('RequestEntity.TooLarge');
    expect(error.data?.statusCode).toBe(413);
  });

  it.each([
    ['with a Content-Length', false],
    ['chunked', true],
  ])('posted %s is answered 413 with the catalogued envelope', async (_name, chunked) => {
    const r = await post(chunked);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ Code: 'RequestEntity.TooLarge' });
  });

  it('that never ends is answered 413, and its connection closed once the discard bound is passed', async () => {
    const [host, port] = s.endpoint.split(':');
    const outcome = await new Promise<{ status: number; written: number; closed: boolean }>((resolve) => {
      let status = 0;
      let written = 0;
      const req = request({ host, port: Number(port), method: 'POST', path: '/' }, (res) => {
        status = res.statusCode ?? 0;
        res.resume();
      });
      const piece = Buffer.alloc(256 * 1024, 'a');
      const pump = () => {
        while (!req.destroyed && written < 4 * DISCARD_LIMIT_BYTES) {
          written += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
      };
      req.on('error', () => resolve({ status, written, closed: true }));
      req.on('close', () => resolve({ status, written, closed: true }));
      pump();
    });
    expect(outcome.status).toBe(413);
    expect(outcome.closed).toBe(true);
    expect(outcome.written).toBeLessThan(4 * DISCARD_LIMIT_BYTES);
  });
});
