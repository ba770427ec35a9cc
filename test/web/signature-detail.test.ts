/**
 * SignatureDoesNotMatch of signature V3 carries what the server signed (cams-api.md §3.1), so the
 * explorer can show it beside its own; the message stays what the SDKs expect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acsDate, newNonce, signV3 } from '../../web/shared/sign-v3.js';
import { startServer, type TestServer } from '../support/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

async function send(secret: string, tamper?: (body: string) => string) {
  const signed = await signV3({
    method: 'POST',
    host: s.endpoint,
    action: 'AddChatappPhoneNumber',
    version: '2020-06-06',
    query: [],
    body: [
      ['Cc', '86'],
      ['CustSpaceId', s.root.custSpaceId],
      ['PhoneNumber', '13800138000'],
      ['VerifiedName', 'Détail (test)'],
    ],
    date: acsDate(Date.now()),
    nonce: newNonce(),
    accessKeyId: s.root.accessKeyId,
    accessKeySecret: secret,
  });
  const res = await fetch(`http://${s.endpoint}${signed.url}`, {
    method: 'POST',
    headers: signed.headers,
    body: tamper === undefined ? signed.body : tamper(signed.body),
  });
  return { signed, status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('SignatureDoesNotMatch, V3', () => {
  it('a request signed right by the browser signer is accepted', async () => {
    const { status, body } = await send(s.root.accessKeySecret);
    expect(status).toBe(200);
    expect(body.Code).toBe('OK');
    expect(body).not.toHaveProperty('SignatureDetail');
  });

  it('a wrong secret: the same canonical request and string-to-sign as the client, and no secret in the answer', async () => {
    const { signed, status, body } = await send(`${s.root.accessKeySecret}x`);
    expect(status).toBe(400);
    expect(body.Code).toBe('SignatureDoesNotMatch');
    expect(body.Message).toBe('Specified signature is not matched with our calculation.');
    expect(body.SignatureDetail).toEqual({
      CanonicalRequest: signed.canonicalRequest,
      StringToSign: signed.stringToSign,
    });
    expect(JSON.stringify(body)).not.toContain(s.root.accessKeySecret);
  });

  it('a body changed after signing: the server hashes what it received, and the canonical requests differ there', async () => {
    const { signed, body } = await send(s.root.accessKeySecret, (b) =>
      b.replace('13800138000', '13800138009'),
    );
    expect(body.Code).toBe('SignatureDoesNotMatch');
    const detail = body.SignatureDetail as { CanonicalRequest: string; StringToSign: string };
    const ours = signed.canonicalRequest.split('\n');
    const theirs = detail.CanonicalRequest.split('\n');
    const differing = ours.flatMap((line, i) => (line === theirs[i] ? [] : [i]));
    // The x-acs-content-sha256 header line keeps the client's value; the last line is the server's hash.
    expect(differing).toEqual([ours.length - 1]);
    expect(detail.StringToSign).not.toBe(signed.stringToSign);
  });
});
