import { describe, expect, it } from 'vitest';
import { sequentialId, simulatedId } from './ids.js';

describe('simulated IDs', () => {
  it('sequential IDs are 16-digit, consecutive, and the same for the same seed', () => {
    const first = sequentialId('seed-a', 'phone_number', 1);
    const second = sequentialId('seed-a', 'phone_number', 2);
    expect(first).toMatch(/^[1-9]\d{15}$/);
    expect(BigInt(second) - BigInt(first)).toBe(1n);
    expect(sequentialId('seed-a', 'phone_number', 1)).toBe(first);
    // Text order is number order, so new IDs go to the end of a text primary key.
    expect(second > first).toBe(true);
  });

  it('another seed or kind starts elsewhere', () => {
    expect(sequentialId('seed-b', 'phone_number', 1)).not.toBe(sequentialId('seed-a', 'phone_number', 1));
    expect(sequentialId('seed-a', 'other', 1)).not.toBe(sequentialId('seed-a', 'phone_number', 1));
  });

  it('keeps 16 digits up to the last sequence number it allows, and refuses beyond', () => {
    expect(sequentialId('seed-a', 'phone_number', 999_999_999_999)).toMatch(/^[1-9]\d{15}$/);
    expect(() => sequentialId('seed-a', 'phone_number', 1_000_000_000_000)).toThrow(RangeError);
    expect(() => sequentialId('seed-a', 'phone_number', -1)).toThrow(RangeError);
  });

  it('scattered IDs stay 16-digit and deterministic', () => {
    expect(simulatedId('s', 'waba', 1)).toMatch(/^[1-9]\d{15}$/);
    expect(simulatedId('s', 'waba', 1)).toBe(simulatedId('s', 'waba', 1));
  });
});
