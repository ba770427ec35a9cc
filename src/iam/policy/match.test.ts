import { describe, expect, it } from 'vitest';
import { actionMatches, resourceMatches, wildcardMatch } from './match.js';

const plain = { caseInsensitive: false, questionMark: false };
const like = { caseInsensitive: false, questionMark: true };

describe('wildcardMatch', () => {
  it.each([
    ['*', '', plain, true],
    ['*', 'anything', plain, true],
    ['', '', plain, true],
    ['', 'x', plain, false],
    ['abc', 'abc', plain, true],
    ['abc', 'abcd', plain, false],
    ['a*c', 'ac', plain, true],
    ['a*c', 'abbbc', plain, true],
    ['a*c', 'abbbcd', plain, false],
    ['*a*b*', 'xxaxxbxx', plain, true],
    ['*a*b*', 'xxbxxaxx', plain, false],
    ['a**b', 'ab', plain, true],
    ['a?c', 'abc', like, true],
    ['a?c', 'ac', like, false],
    ['a?c', 'abbc', like, false],
    ['a?c', 'a?c', plain, true],
    ['a?c', 'abc', plain, false],
    ['?', '€', like, true],
    ['?', '😀', like, true],
    ['ABC*', 'abcdef', plain, false],
    ['ABC*', 'abcdef', { caseInsensitive: true, questionMark: false }, true],
    ['ab*ab*c', 'abababababc', plain, true],
    ['.*', 'x', plain, false],
  ] as const)('%j against %j (%j) is %s', (pattern, value, opts, expected) => {
    expect(wildcardMatch(pattern, value, opts)).toBe(expected);
  });

  it('does not backtrack exponentially on a pathological pattern', () => {
    const pattern = 'a*'.repeat(200) + 'b';
    const value = 'a'.repeat(5000);
    const started = performance.now();
    expect(wildcardMatch(pattern, value, like)).toBe(false);
    expect(wildcardMatch('*?'.repeat(300) + 'c', 'ab'.repeat(3000), like)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('actionMatches / resourceMatches', () => {
  it('matches actions ignoring case, with * only', () => {
    expect(actionMatches('cams:Get*', 'CAMS:getChatappVerifyCode')).toBe(true);
    expect(actionMatches('cams:Get?hatappVerifyCode', 'cams:GetChatappVerifyCode')).toBe(false);
  });

  it('matches resources case-sensitively', () => {
    expect(resourceMatches('acs:cams:*:123:*', 'acs:cams:cn-hangzhou:123:waba/1')).toBe(true);
    expect(resourceMatches('acs:cams:*:123:WABA/*', 'acs:cams:cn-hangzhou:123:waba/1')).toBe(false);
  });
});
