import { describe, expect, it } from 'vitest';

import { constantTimeEqual } from '../../crypto/constant-time.js';
import { parseQueryPairs, percentEncode } from './encode.js';

describe('percentEncode (cams-api.md §2.2.1 step 6 encode)', () => {
  it("escapes like encodeURIComponent plus !'()*, upper-case hex", () => {
    expect(percentEncode("!'()*")).toBe('%21%27%28%29%2A');
    expect(percentEncode('a b+c/d~e&f=g')).toBe('a%20b%2Bc%2Fd~e%26f%3Dg');
    expect(percentEncode('-_.~AZaz09')).toBe('-_.~AZaz09');
    expect(percentEncode('é名😀')).toBe('%C3%A9%E5%90%8D%F0%9F%98%80');
    expect(percentEncode('2024-01-01T00:00:00Z')).toBe('2024-01-01T00%3A00%3A00Z');
    expect(percentEncode('')).toBe('');
  });

  it('maps lone surrogates to U+FFFD instead of throwing', () => {
    expect(percentEncode('a\uD800b')).toBe('a%EF%BF%BDb');
    expect(percentEncode('\uDC00')).toBe('%EF%BF%BD');
  });
});

describe('parseQueryPairs', () => {
  it('splits, skips empty parts, decodes + and %XX as UTF-8', () => {
    expect(parseQueryPairs('')).toEqual([]);
    expect(parseQueryPairs('a=1&&b=&c&d=x=y&')).toEqual([
      ['a', '1'],
      ['b', ''],
      ['c', ''],
      ['d', 'x=y'],
    ]);
    expect(parseQueryPairs('k+1=a+b%2B%20c*!%27()~%C3%A9%F0%9F%98%80')).toEqual([['k 1', "a b+ c*!'()~é😀"]]);
    expect(parseQueryPairs('%41%62=%2a')).toEqual([['Ab', '*']]);
  });

  it('keeps wire order and duplicates', () => {
    expect(parseQueryPairs('b=2&a=1&b=0')).toEqual([
      ['b', '2'],
      ['a', '1'],
      ['b', '0'],
    ]);
  });

  it.each([
    ['%'],
    ['a=%'],
    ['a=%4'],
    ['a=%G1'],
    ['%zz=1'],
    ['ok=1&a=%E4%B8'], // truncated UTF-8
    ['a=%FF'], // invalid UTF-8 byte
    ['a=%C0%AF'], // overlong encoding
    ['a=%ED%A0%80'], // encoded surrogate
  ])('rejects malformed percent-encoding %s', (raw) => {
    expect(parseQueryPairs(raw)).toBeUndefined();
  });
});

describe('constantTimeEqual', () => {
  it('compares strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('ab', 'abc')).toBe(false);
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false);
  });
});
