import { describe, expect, it } from 'vitest';
import { CircuitBreakers, originOf } from './circuit-breaker.js';

const A = 'https://a.example.com';
const B = 'https://b.example.com';

function failTimes(breakers: CircuitBreakers, origin: string, n: number, now: number) {
  const changes = [];
  for (let i = 0; i < n; i += 1) {
    expect(breakers.check(origin, now).state).toBe('closed');
    breakers.started(origin, now);
    changes.push(breakers.ended(origin, false, now));
  }
  return changes;
}

describe('CircuitBreakers', () => {
  it('opens after the threshold of consecutive failures, for the cool-down, for that origin only', () => {
    const breakers = new CircuitBreakers({ threshold: 3, cooldownMs: 1_000 });
    expect(failTimes(breakers, A, 3, 100)).toEqual([undefined, undefined, 'opened']);
    expect(breakers.check(A, 100)).toEqual({ state: 'open', until: 1_100, failures: 3 });
    expect(breakers.check(A, 1_099).state).toBe('open');
    expect(breakers.check(B, 100)).toEqual({ state: 'closed' });
  });

  it('a success in between resets the count', () => {
    const breakers = new CircuitBreakers({ threshold: 3, cooldownMs: 1_000 });
    failTimes(breakers, A, 2, 0);
    breakers.started(A, 0);
    expect(breakers.ended(A, true, 0)).toBeUndefined();
    expect(failTimes(breakers, A, 2, 0)).toEqual([undefined, undefined]);
    expect(breakers.check(A, 0).state).toBe('closed');
  });

  it('after the cool-down lets one probe through; its failure re-opens, its success closes', () => {
    const breakers = new CircuitBreakers({ threshold: 2, cooldownMs: 1_000 });
    failTimes(breakers, A, 2, 0);
    expect(breakers.check(A, 1_000).state).toBe('closed');
    breakers.started(A, 1_000);
    // While the probe is in flight, nothing else goes to that origin.
    expect(breakers.check(A, 1_500).state).toBe('probing');
    expect(breakers.ended(A, false, 1_600)).toBe('opened');
    expect(breakers.check(A, 1_600)).toEqual({ state: 'open', until: 2_600, failures: 3 });

    expect(breakers.check(A, 2_600).state).toBe('closed');
    breakers.started(A, 2_600);
    expect(breakers.ended(A, true, 2_700)).toBe('closed');
    expect(breakers.check(A, 2_700).state).toBe('closed');
    // Closed means the count starts again from zero.
    expect(failTimes(breakers, A, 1, 2_700)).toEqual([undefined]);
    expect(breakers.check(A, 2_700).state).toBe('closed');
  });

  it('attempts started before the breaker opened and failing later do not extend the cool-down', () => {
    const breakers = new CircuitBreakers({ threshold: 2, cooldownMs: 1_000 });
    breakers.started(A, 0);
    breakers.started(A, 0);
    breakers.started(A, 0);
    expect(breakers.ended(A, false, 0)).toBeUndefined();
    expect(breakers.ended(A, false, 10)).toBe('opened');
    expect(breakers.ended(A, false, 500)).toBeUndefined();
    expect(breakers.check(A, 1_010).state).toBe('closed');
  });

  it('an attempt allowed just before the breaker opened and started after is not taken for the probe', () => {
    const breakers = new CircuitBreakers({ threshold: 2, cooldownMs: 1_000 });
    failTimes(breakers, A, 1, 0);
    expect(breakers.check(A, 0).state).toBe('closed');
    // Meanwhile another attempt fails and opens the breaker; then the allowed one starts.
    breakers.started(A, 0);
    expect(breakers.ended(A, false, 5)).toBe('opened');
    breakers.started(A, 6);
    expect(breakers.check(A, 10).state).toBe('open');
    expect(breakers.ended(A, false, 500)).toBeUndefined();
    // The cool-down is the one the opening set; then one probe.
    expect(breakers.check(A, 1_005).state).toBe('closed');
    breakers.started(A, 1_005);
    expect(breakers.check(A, 1_006).state).toBe('probing');
  });

  it('keys receivers by origin', () => {
    expect(originOf('https://h.example.com/a?x=1')).toBe('https://h.example.com');
    expect(originOf('http://h.example.com:8080/b')).toBe('http://h.example.com:8080');
    expect(originOf('https://h.example.com:443/c')).toBe(originOf('https://H.example.com/d'));
    // A URL that is not one (never stored) must not reach a log line as it is.
    expect(originOf('not a url?token=s3cr3t')).toBe('(no origin)');
  });
});
