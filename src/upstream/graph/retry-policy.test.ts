import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../errors/index.js';
import { GraphApiError } from './graph-error.js';
import { backoffMs, classify, decideRetry, DEFAULT_RETRY, type CallKind } from './retry-policy.js';

const meta = (code: number, httpStatus: number, extra: { transient?: boolean; retryAfterMs?: number } = {}) =>
  new GraphApiError({ code, httpStatus, message: `error ${code}`, ...extra });
const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
const refusedSocket = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
const resetSocket = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });

describe('classify (whatsapp-upstream.md §1.10, §1.12)', () => {
  it.each<[string, unknown, ReturnType<typeof classify>]>([
    ['429', meta(4, 429), 'refused'],
    ['code 4 app limit', meta(4, 400), 'refused'],
    ['code 17 user limit', meta(17, 400), 'refused'],
    ['80007 WABA limit', meta(80007, 400), 'refused'],
    ['80008 too many calls', meta(80008, 400), 'refused'],
    ['connection refused', refusedSocket, 'refused'],
    ['code 2 unavailable', meta(2, 503), 'transient'],
    ['code 1 unknown', meta(1, 400), 'transient'],
    ['131000 something went wrong', meta(131000, 500), 'transient'],
    ['133004 registration unavailable', meta(133004, 503), 'transient'],
    ['any 5xx', meta(100, 502), 'transient'],
    ['is_transient', meta(100, 400, { transient: true }), 'transient'],
    ['timeout', named('TimeoutError'), 'transient'],
    ['connection reset', resetSocket, 'transient'],
    ['190 token', meta(190, 401), 'final'],
    [
      '100/33 unknown object',
      new UpstreamError({ code: 100, subcode: 33, httpStatus: 400, message: 'x' }),
      'final',
    ],
    ['133005 PIN mismatch', meta(133005, 400), 'final'],
    ['200 permission', meta(200, 403), 'final'],
    ['a bug', new RangeError('x'), 'final'],
  ])('%s', (_name, error, expected) => {
    expect(classify(error)).toBe(expected);
  });
});

describe('decideRetry', () => {
  const decide = (kind: CallKind, error: unknown, attempt = 1) =>
    decideRetry(kind, error, attempt, DEFAULT_RETRY, () => 0.5);

  it.each<[CallKind, unknown, boolean]>([
    ['read', meta(2, 503), true],
    ['idempotent', meta(2, 503), true],
    ['write', meta(2, 503), false],
    ['create', meta(2, 503), false],
    ['create', named('TimeoutError'), false],
    ['create', meta(80008, 400), true],
    ['create', refusedSocket, true],
    ['write', meta(4, 429), true],
    ['read', meta(190, 401), false],
  ])('%s after %o: retry %s', (kind, error, retry) => {
    expect(decide(kind, error).retry).toBe(retry);
  });

  it('stops after maxAttempts', () => {
    expect(decide('read', meta(2, 503), 2).retry).toBe(true);
    expect(decide('read', meta(2, 503), 3).retry).toBe(false);
  });

  it("waits Meta's time when it says, unless longer than the cap", () => {
    expect(decide('read', meta(4, 429, { retryAfterMs: 2_000 }))).toEqual({ retry: true, waitMs: 2_000 });
    expect(decide('read', meta(4, 429, { retryAfterMs: 10 }))).toEqual({ retry: true, waitMs: 150 });
    expect(decide('read', meta(80008, 400, { retryAfterMs: 31_000 }))).toEqual({ retry: false });
  });

  it('backs off exponentially with equal jitter, up to the ceiling', () => {
    const o = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, o, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, o, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
  });
});
