import { type UpstreamError } from '../../errors/index.js';
import { BUSINESS_VERTICALS, type BusinessProfile } from '../provider.js';
import { invalidParameter } from './errors.js';

export const EMPTY_PROFILE: BusinessProfile = {
  about: '',
  address: '',
  description: '',
  email: '',
  profilePictureUrl: '',
  vertical: '',
  websites: [],
};

/** Limits of Meta's whatsapp_business_profile fields, in characters. */
export const PROFILE_LIMITS = {
  about: 139,
  address: 256,
  description: 512,
  email: 128,
  website: 256,
  websites: 2,
} as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const VERTICALS: ReadonlySet<string> = new Set(BUSINESS_VERTICALS);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function checkText(field: string, value: unknown, max: number): UpstreamError | undefined {
  if (typeof value !== 'string') return invalidParameter(`Param ${field} must be a string`);
  const length = [...value].length;
  if (length > max) {
    return invalidParameter(`Param ${field} must be at most ${max} characters long, got ${length}`);
  }
  return undefined;
}

/**
 * Checks a whatsapp_business_profile update the way Meta's edge does: each given field within its limit,
 * email well-formed, at most two http(s) websites, vertical one of BUSINESS_VERTICALS or '' (clears it).
 * Returns the first violation as a code 100 error naming the parameter, or undefined.
 */
export function checkProfilePatch(patch: Partial<BusinessProfile>): UpstreamError | undefined {
  const checks: Array<() => UpstreamError | undefined> = [
    () => (patch.about === undefined ? undefined : checkText('about', patch.about, PROFILE_LIMITS.about)),
    () =>
      patch.address === undefined ? undefined : checkText('address', patch.address, PROFILE_LIMITS.address),
    () =>
      patch.description === undefined
        ? undefined
        : checkText('description', patch.description, PROFILE_LIMITS.description),
    () => {
      if (patch.email === undefined) return undefined;
      const error = checkText('email', patch.email, PROFILE_LIMITS.email);
      if (error !== undefined || patch.email === '' || EMAIL.test(patch.email)) return error;
      return invalidParameter(
        `Param email must be an email address such as info@example.com, got "${patch.email}"`,
      );
    },
    () => {
      const url = patch.profilePictureUrl;
      if (url === undefined || url === '') return undefined;
      return isHttpUrl(url)
        ? undefined
        : invalidParameter(`Param profile_picture_url must be an http(s) URL`);
    },
    () => {
      const vertical = patch.vertical;
      if (vertical === undefined || vertical === '' || VERTICALS.has(vertical)) return undefined;
      return invalidParameter(
        `Param vertical must be one of ${BUSINESS_VERTICALS.join(', ')} or empty, got "${String(vertical)}"`,
      );
    },
    () => {
      const websites = patch.websites;
      if (websites === undefined) return undefined;
      if (!Array.isArray(websites)) return invalidParameter('Param websites must be a list of URLs');
      if (websites.length > PROFILE_LIMITS.websites) {
        return invalidParameter(`Param websites allows at most 2 URLs, got ${websites.length}`);
      }
      for (const site of websites) {
        const error = checkText('websites', site, PROFILE_LIMITS.website);
        if (error !== undefined) return error;
        if (!isHttpUrl(site)) {
          return invalidParameter(
            `Param websites must hold URLs starting with http:// or https://, got "${site}"`,
          );
        }
      }
      return undefined;
    },
  ];
  for (const check of checks) {
    const error = check();
    if (error !== undefined) return error;
  }
  return undefined;
}

/** The profile after an update: only the fields present in the patch change. */
export function applyProfilePatch(
  profile: BusinessProfile,
  patch: Partial<BusinessProfile>,
): BusinessProfile {
  const next: BusinessProfile = { ...profile, websites: [...profile.websites] };
  for (const key of Object.keys(EMPTY_PROFILE) as Array<keyof BusinessProfile>) {
    const value = patch[key];
    if (value === undefined) continue;
    if (key === 'websites') next.websites = [...(value as string[])];
    else next[key] = value as string;
  }
  return next;
}
