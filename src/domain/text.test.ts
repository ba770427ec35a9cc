import { describe, expect, it } from 'vitest';
import { unacceptableText } from './text.js';

describe('unacceptableText', () => {
  it.each([
    ['plain', 'Alibaba Cloud'],
    ['tab, CR and LF', 'a\tb\r\nc'],
    ['CJK and emoji (a surrogate pair)', '阿里云 😀'],
    ['the last BMP characters before the non-characters', '\uFDCF\uFDF0\uFFFD'],
    ['astral non-BMP text', '\u{10000}\u{10FFFD}'],
  ])('accepts %s', (_name, value) => {
    expect(unacceptableText(value)).toBeUndefined();
  });

  it.each([
    ['NUL', 'a\u0000', 'control characters'],
    ['a C0 control', 'a\u001b[0m', 'control characters'],
    ['DEL', 'a\u007f', 'control characters'],
    ['a C1 control', 'a\u0085', 'control characters'],
    ['U+FFFE', 'a\uFFFE', 'non-characters'],
    ['U+FFFF', '\uFFFFa', 'non-characters'],
    ['U+FDD0', '\uFDD0', 'non-characters'],
    ['U+FDEF', '\uFDEF', 'non-characters'],
    ['a lone high surrogate', 'a\uD83D', 'lone UTF-16 surrogates'],
    ['a lone low surrogate', '\uDE00a', 'lone UTF-16 surrogates'],
    ['reversed surrogates', '\uDE00\uD83D', 'lone UTF-16 surrogates'],
  ])('refuses %s', (_name, value, reason) => {
    expect(unacceptableText(value)).toContain(reason);
  });
});
