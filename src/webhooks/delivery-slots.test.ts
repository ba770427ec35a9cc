import { describe, expect, it } from 'vitest';
import { DeliverySlots } from './delivery-slots.js';

const key = (accountId: string, origin = `https://${accountId}.example.com`) => ({ accountId, origin });

describe('DeliverySlots', () => {
  it('gives one account at most its share, leaving the other slots to other accounts', () => {
    const slots = new DeliverySlots({ concurrency: 4, perAccount: 2, perOrigin: 4 });
    slots.take(key('a'));
    slots.take(key('a'));
    expect(slots.allows(key('a'))).toBe(false);
    expect(slots.allows(key('b'))).toBe(true);
    slots.take(key('b'));
    slots.take(key('c'));
    expect(slots.free).toBe(0);
    expect(slots.allows(key('d'))).toBe(false);
    slots.release(key('a'));
    expect(slots.inFlight).toBe(3);
    expect(slots.allows(key('a'))).toBe(true);
    expect(slots.allows(key('d'))).toBe(true);
  });

  it('limits one receiver origin shared by several accounts', () => {
    const slots = new DeliverySlots({ concurrency: 8, perAccount: 2, perOrigin: 2 });
    const shared = 'https://hooks.saas.example.com';
    slots.take(key('a', shared));
    slots.take(key('b', shared));
    expect(slots.allows(key('c', shared))).toBe(false);
    expect(slots.allows(key('c'))).toBe(true);
    slots.release(key('b', shared));
    expect(slots.allows(key('c', shared))).toBe(true);
  });
});
