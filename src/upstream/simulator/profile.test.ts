import { describe, expect, it } from 'vitest';
import type { BusinessProfile } from '../provider.js';
import { applyProfilePatch, checkProfilePatch, EMPTY_PROFILE } from './profile.js';

// [patch, the words the code-100 message must contain, or undefined when the patch is valid]
const CASES: Array<[Partial<BusinessProfile>, string | undefined]> = [
  [{}, undefined],
  [{ about: 'a'.repeat(139) }, undefined],
  [{ about: 'a'.repeat(140) }, 'Param about must be at most 139 characters long, got 140'],
  [{ description: 'd'.repeat(512) }, undefined],
  [{ description: 'd'.repeat(513) }, 'Param description must be at most 512'],
  [{ address: 'a'.repeat(256) }, undefined],
  [{ address: 'a'.repeat(257) }, 'Param address must be at most 256'],
  [{ email: 'info@example.com' }, undefined],
  [{ email: '' }, undefined],
  [{ email: 'not-an-email' }, 'Param email must be an email address'],
  [{ email: `${'a'.repeat(120)}@example.com` }, 'Param email must be at most 128'],
  [{ websites: ['https://example.com', 'http://example.org/shop'] }, undefined],
  [{ websites: ['https://a.com', 'https://b.com', 'https://c.com'] }, 'at most 2 URLs, got 3'],
  [{ websites: ['ftp://example.com'] }, 'starting with http:// or https://'],
  [{ websites: ['example.com'] }, 'starting with http:// or https://'],
  [{ websites: [`https://example.com/${'p'.repeat(240)}`] }, 'Param websites must be at most 256'],
  [{ vertical: 'RETAIL' }, undefined],
  [{ vertical: 'EVENT_PLAN' }, undefined],
  [{ vertical: '' }, undefined],
  [{ vertical: 'RETAILS' }, 'Param vertical must be one of RETAIL, TRAVEL'],
  [{ profilePictureUrl: 'https://cdn.example.com/logo.png' }, undefined],
  [{ profilePictureUrl: 'logo.png' }, 'profile_picture_url'],
];

describe('checkProfilePatch', () => {
  it.each(CASES)('%j -> %s', (patch, words) => {
    const error = checkProfilePatch(patch);
    if (words === undefined) {
      expect(error).toBeUndefined();
    } else {
      expect(error).toMatchObject({ code: 100, httpStatus: 400 });
      expect(error?.message).toContain(words);
    }
  });
});

describe('applyProfilePatch', () => {
  it('changes only the given fields and copies the websites list', () => {
    const websites = ['https://example.com'];
    const next = applyProfilePatch({ ...EMPTY_PROFILE, about: 'Hi' }, { websites, email: 'a@b.co' });
    websites.push('https://other.example');
    expect(next).toEqual({
      ...EMPTY_PROFILE,
      about: 'Hi',
      email: 'a@b.co',
      websites: ['https://example.com'],
    });
  });
});
