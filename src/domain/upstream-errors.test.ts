import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../errors/index.js';
import { metaErrorRule, upstreamFailure } from './upstream-errors.js';

const meta = (init: Partial<ConstructorParameters<typeof UpstreamError>[0]> & { code: number }) =>
  new UpstreamError({ httpStatus: 400, message: 'Meta text.', ...init });

describe('upstreamFailure', () => {
  it('a subcode rule wins over its code; other subcodes fall back to the code', () => {
    expect(upstreamFailure(meta({ code: 100, subcode: 33 })).code).toBe('Upstream.ObjectNotAccessible');
    expect(upstreamFailure(meta({ code: 100, subcode: 12345 })).code).toBe('InvalidParameter');
    expect(upstreamFailure(meta({ code: 200, subcode: 1349175 })).code).toBe('PhoneNumber.LimitExceeded');
  });

  it('200-299 is a range of permission errors; 200000 is not in it', () => {
    expect(metaErrorRule({ code: 250, subcode: undefined })?.cams).toBe('Upstream.PermissionDenied');
    expect(metaErrorRule({ code: 300, subcode: undefined })).toBeUndefined();
    expect(upstreamFailure(meta({ code: 200000 })).code).toBe('PhoneNumber.AddRefused');
  });

  it('an unlisted code is Upstream.Unavailable when Meta marks it transient, else Upstream.Error', () => {
    expect(upstreamFailure(meta({ code: 777, transient: true }))).toMatchObject({
      code: 'Upstream.Unavailable',
      status: 503,
    });
    expect(upstreamFailure(meta({ code: 777 }))).toMatchObject({ code: 'Upstream.Error', status: 502 });
  });

  it("ends with Meta's code, text (one full stop) and advice, then the wait Meta asks for", () => {
    const e = Object.assign(meta({ code: 4, userMessage: 'Slow down.' }), { retryAfterMs: 30_000 });
    expect(upstreamFailure(e).message).toMatch(
      /: wait and retry later .*\(WhatsApp error 4: Meta text\. Slow down\.\) WhatsApp asks to wait 30 seconds\.$/,
    );
  });
});
