import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedHeaders, verifyWebhookSignature, webhookSignature } from './signature.js';

const SECRET = 'whsec_test';
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const BODY = '{"EventId":"e1","EventType":"PhoneNumberStatus","Data":{}}';

type Tamper = (h: Record<string, string>) => { h: Record<string, string>; body: string; secret?: string };

describe('webhook signatures', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>" in hex', () => {
    const expected = createHmac('sha256', SECRET).update(`1767268800.${BODY}`).digest('hex');
    expect(webhookSignature(SECRET, 1767268800, BODY)).toBe(expected);
    expect(signedHeaders(SECRET, 'e1', NOW, BODY)).toEqual({
      'content-type': 'application/json',
      'x-cams-event-id': 'e1',
      'x-cams-timestamp': '1767268800',
      'x-cams-signature': `v1=${expected}`,
    });
  });

  it('accepts its own signature, with any header case, a Headers object or a Buffer body', () => {
    const headers = signedHeaders(SECRET, 'e1', NOW, BODY);
    expect(verifyWebhookSignature(SECRET, headers, BODY, NOW)).toBe(true);
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhookSignature(SECRET, upper, Buffer.from(BODY), NOW + 1000)).toBe(true);
    expect(verifyWebhookSignature(SECRET, new Headers(headers), BODY, NOW)).toBe(true);
  });

  it('accepts when one of several v1 entries matches', () => {
    const headers = signedHeaders(SECRET, 'e1', NOW, BODY);
    const both = { ...headers, 'x-cams-signature': `v1=${'0'.repeat(64)}, ${headers['x-cams-signature']}` };
    expect(verifyWebhookSignature(SECRET, both, BODY, NOW)).toBe(true);
  });

  it.each<[string, Tamper]>([
    ['a tampered body', (h) => ({ h, body: BODY.replace('e1', 'e2') })],
    ['another secret', (h) => ({ h, body: BODY, secret: 'other' })],
    ['a changed timestamp', (h) => ({ h: { ...h, 'x-cams-timestamp': '1767268801' }, body: BODY })],
    ['no signature', (h) => ({ h: { ...h, 'x-cams-signature': '' }, body: BODY })],
    [
      'an unknown version',
      (h) => ({
        h: { ...h, 'x-cams-signature': h['x-cams-signature']!.replace('v1=', 'v2=') },
        body: BODY,
      }),
    ],
    ['a non-numeric timestamp', (h) => ({ h: { ...h, 'x-cams-timestamp': '1e9' }, body: BODY })],
  ])('rejects %s', (_name, tamper) => {
    const { h, body, secret } = tamper(signedHeaders(SECRET, 'e1', NOW, BODY));
    expect(verifyWebhookSignature(secret ?? SECRET, h, body, NOW)).toBe(false);
  });

  it('rejects timestamps outside the tolerance, in either direction', () => {
    const headers = signedHeaders(SECRET, 'e1', NOW, BODY);
    expect(verifyWebhookSignature(SECRET, headers, BODY, NOW + 5 * 60_000)).toBe(true);
    expect(verifyWebhookSignature(SECRET, headers, BODY, NOW + 5 * 60_000 + 1)).toBe(false);
    expect(verifyWebhookSignature(SECRET, headers, BODY, NOW - 5 * 60_000 - 1)).toBe(false);
    expect(verifyWebhookSignature(SECRET, headers, BODY, NOW + 30_000, 10_000)).toBe(false);
  });
});
