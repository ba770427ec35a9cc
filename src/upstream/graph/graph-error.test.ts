import { describe, expect, it } from 'vitest';
import { parseGraphError, redact, retryAfterMs } from './graph-error.js';

const NOW = Date.UTC(2026, 0, 1);

describe('parseGraphError (whatsapp-upstream.md §1.10)', () => {
  it("reads Meta's envelope, keeping the HTTP status", () => {
    const body = JSON.stringify({
      error: {
        message: '(#133005) Two step verification PIN Mismatch',
        type: 'OAuthException',
        code: 133005,
        error_subcode: 2388001,
        error_user_title: 'Title',
        error_user_msg: 'Check the PIN',
        fbtrace_id: 'AbCdEfGhIjK',
        is_transient: false,
      },
    });
    expect(parseGraphError(400, body, new Headers(), NOW)).toMatchObject({
      name: 'GraphApiError',
      code: 133005,
      subcode: 2388001,
      httpStatus: 400,
      message: '(#133005) Two step verification PIN Mismatch',
      userTitle: 'Title',
      userMessage: 'Check the PIN',
      fbtraceId: 'AbCdEfGhIjK',
      type: 'OAuthException',
      transient: false,
    });
  });

  it('turns a body without the envelope into code 4, 2 or 1 by status', () => {
    expect(parseGraphError(429, '', new Headers(), NOW)).toMatchObject({ code: 4, transient: true });
    expect(parseGraphError(502, '<html>Bad Gateway</html>', new Headers(), NOW)).toMatchObject({
      code: 2,
      httpStatus: 502,
      message: 'HTTP 502 from the Graph API without an error object: <html>Bad Gateway</html>',
    });
    expect(parseGraphError(404, '{"nope":1}', new Headers(), NOW)).toMatchObject({
      code: 1,
      transient: false,
    });
  });
});

describe('retryAfterMs (whatsapp-upstream.md §1.12)', () => {
  it.each<[Record<string, string>, number | undefined]>([
    [{}, undefined],
    [{ 'retry-after': '3' }, 3_000],
    [{ 'retry-after': new Date(NOW + 5_000).toUTCString() }, 5_000],
    [{ 'retry-after': 'soon' }, undefined],
    [
      {
        'x-business-use-case-usage':
          '{"123":[{"type":"whatsapp_business_management","estimated_time_to_regain_access":2}]}',
      },
      120_000,
    ],
    [{ 'x-business-use-case-usage': '{"123":[{"estimated_time_to_regain_access":0}]}' }, undefined],
    [{ 'x-business-use-case-usage': 'not json' }, undefined],
    [
      { 'retry-after': '10', 'x-business-use-case-usage': '{"1":[{"estimated_time_to_regain_access":1}]}' },
      60_000,
    ],
  ])('%o -> %s', (headers, expected) => {
    expect(retryAfterMs(new Headers(headers), NOW)).toBe(expected);
  });
});

describe('redact', () => {
  it('hides bearer tokens and access_token values', () => {
    expect(redact('GET /v23.0/1?access_token=EAAG123&fields=id')).toBe(
      'GET /v23.0/1?access_token=[REDACTED]&fields=id',
    );
    expect(redact('Authorization: Bearer EAAG123')).toBe('Authorization: Bearer [REDACTED]');
    expect(redact('{"access_token":"EAAG123"}')).toBe('{"access_token":"[REDACTED]"}');
  });
});
