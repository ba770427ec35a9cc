import { describe, expect, it } from 'vitest';
import { uuidv7 } from './time-ordered-id.js';

describe('uuidv7', () => {
  it('is an RFC 9562 version 7 UUID carrying the time, sorting by it', () => {
    const at = Date.UTC(2026, 10, 27, 9, 0, 0);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    const ids = Array.from({ length: 600 }, (_, i) => uuidv7(at + i)); // past one refill of the pool
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('differs within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => uuidv7(1_000));
    expect(new Set(ids).size).toBe(1000);
  });
});
