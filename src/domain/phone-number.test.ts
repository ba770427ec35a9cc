import { describe, expect, it } from 'vitest';
import { ServiceError } from '../errors/index.js';
import { checkVerifiedName, normalizePhoneNumber } from './phone-number.js';

function rejection(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('normalizePhoneNumber', () => {
  it.each([
    ['86', '13800138000', '8613800138000'],
    ['1', '2015550123', '12015550123'],
    ['+44', '7400123456', '447400123456'],
    ['0049', '15123456789', '4915123456789'],
    ['852', '51234567', '85251234567'],
  ])('accepts Cc %s PhoneNumber %s as %s', (cc, phone, e164) => {
    expect(normalizePhoneNumber(cc, phone).e164).toBe(e164);
  });

  it.each([
    ['999', '13800138000', 'Cc', 'country calling code'],
    ['abc', '13800138000', 'Cc', 'country calling code'],
    ['', '13800138000', 'Cc', 'country calling code'],
    ['86', '123', 'PhoneNumber', 'valid phone number of country calling code 86'],
    ['86', '1380013800a', 'PhoneNumber', 'digits only'],
    ['86', '+8613800138000', 'PhoneNumber', 'digits only'],
    ['1', '13800138000', 'PhoneNumber', 'valid phone number of country calling code 1'],
    ['86', '8613800138000', 'PhoneNumber', 'includes the country code'],
  ])('refuses Cc %s PhoneNumber %s naming %s', (cc, phone, param, expected) => {
    const error = rejection(() => normalizePhoneNumber(cc, phone));
    expect(error.code).toBe('InvalidParameter');
    expect(error.message).toContain(`Specified parameter ${param} is not valid`);
    expect(error.message).toContain(expected);
  });
});

describe('checkVerifiedName', () => {
  it('trims and accepts 2 to 75 characters, counting code points', () => {
    expect(checkVerifiedName('  Alibaba Cloud ')).toBe('Alibaba Cloud');
    expect(checkVerifiedName('Ab')).toBe('Ab');
    expect(checkVerifiedName('阿里云'.repeat(25))).toHaveLength(75);
  });

  it.each([
    ['A', 'expected 2 to 75 characters, got 1'],
    ['   ', 'expected 2 to 75 characters, got 0'],
    ['x'.repeat(76), 'got 76'],
    ['Line\nbreak', 'control characters'],
    ['Name\u0085here', 'control characters'],
    ['Name\uFFFF', 'non-characters'],
    ['Name\uFDD0x', 'non-characters'],
    ['Name\uD800x', 'lone UTF-16 surrogates'],
  ])('refuses %j', (name, expected) => {
    const error = rejection(() => checkVerifiedName(name));
    expect(error.code).toBe('InvalidParameter');
    expect(error.message).toContain('VerifiedName');
    expect(error.message).toContain(expected);
  });
});
