import { describe, expect, it } from 'vitest';
import { reviewDisplayName, type NameRejectionReason } from './name-review.js';

// One row per rule of whatsapp-upstream.md §1.7: [name, decision, reason, words of the explanation].
const CASES: Array<[string, 'APPROVED' | 'DECLINED', NameRejectionReason | undefined, string]> = [
  ['Alibaba Cloud', 'APPROVED', undefined, 'follows'],
  ['Fresh Produce Test', 'APPROVED', undefined, 'follows'],
  ['IBM', 'APPROVED', undefined, 'follows'],
  ['BMW AG', 'APPROVED', undefined, 'follows'],
  ['AT&T Support', 'APPROVED', undefined, 'follows'],
  ["Jack's Café (Hangzhou)", 'APPROVED', undefined, 'follows'],
  ['阿里云', 'APPROVED', undefined, 'follows'],
  ['Ab', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', '3 to 75'],
  ['A'.repeat(76), 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', '3 to 75'],
  ['Pizza 🍕 Palace', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'Emojis'],
  ['Flags 🇨🇳 Shop', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'Emojis'],
  ['www.acme', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'URL'],
  ['Acme.com', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'URL'],
  ['https Acme http://acme', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'URL'],
  ['ALIBABA CLOUD', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'ALL CAPS'],
  ['FRESH FOOD', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'ALL CAPS'],
  ['acme widgets', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'capitalization'],
  ['Acme™', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', '™'],
  ['Acme® Widgets', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', '™'],
  ['Best Deals!!', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'punctuation'],
  ['Acme ** Widgets', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'punctuation'],
  ['Acme  Widgets', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'spacing'],
  [' Acme Widgets', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'spacing'],
  ['Acme\tWidgets', 'DECLINED', 'NAME_FORMAT_UNACCEPTABLE', 'spacing'],
  ['Fashion', 'DECLINED', 'NAME_NOT_CONSISTENT', 'generic term'],
  ['Shop', 'DECLINED', 'NAME_NOT_CONSISTENT', 'generic term'],
  ['Test', 'DECLINED', 'NAME_NOT_CONSISTENT', 'generic term'],
  ['Business', 'DECLINED', 'NAME_NOT_CONSISTENT', 'generic term'],
  ['New York', 'DECLINED', 'NAME_NOT_CONSISTENT', 'generic location'],
  ['Singapore', 'DECLINED', 'NAME_NOT_CONSISTENT', 'generic location'],
];

describe('reviewDisplayName', () => {
  it.each(CASES)('%j -> %s %s', (name, decision, reason, words) => {
    const review = reviewDisplayName(name);
    expect(review.decision).toBe(decision);
    expect(review.reason).toBe(reason);
    expect(review.explanation).toContain(words);
  });

  it('is pure: the same name always gets the same review', () => {
    expect(reviewDisplayName('Fashion')).toEqual(reviewDisplayName('Fashion'));
  });
});
