import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';
import { DEFAULT_WEBHOOK_OPTIONS } from './options.js';

describe('backoffDelayMs', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [10, 512_000],
    [11, 600_000],
    [1000, 600_000],
  ])('after %i failures waits %i ms without jitter', (failures, delay) => {
    expect(backoffDelayMs(failures, DEFAULT_WEBHOOK_OPTIONS, () => 0)).toBe(delay);
  });

  it('adds up to jitterRatio of the delay, never beyond the cap', () => {
    expect(backoffDelayMs(3, DEFAULT_WEBHOOK_OPTIONS, () => 0.5)).toBe(4400);
    expect(backoffDelayMs(3, DEFAULT_WEBHOOK_OPTIONS, () => 0.999)).toBeLessThan(4800);
    expect(backoffDelayMs(10, DEFAULT_WEBHOOK_OPTIONS, () => 0.999)).toBe(600_000);
  });
});
