import { getCountryCallingCode, getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { invalidParameter } from '../errors/index.js';
import { unacceptableText } from './text.js';

export interface NormalizedNumber {
  cc: string;
  /** National significant number. */
  nationalNumber: string;
  /** Digits only, country code first (CAMS's PhoneNumber form in answers, e.g. 8613800138000). */
  e164: string;
}

// Calling codes of every region in libphonenumber's metadata, plus its non-geographic codes
// (800, 808, 870, 878, 881, 882, 883, 888, 979), which have no region.
const CALLING_CODES = new Set<string>([
  ...getCountries().map((c) => getCountryCallingCode(c) as string),
  '800',
  '808',
  '870',
  '878',
  '881',
  '882',
  '883',
  '888',
  '979',
]);

const DIGITS = /^\d+$/;

/**
 * Validates AddChatappPhoneNumber's `Cc` and `PhoneNumber` with libphonenumber's full metadata:
 * `Cc` must be a country calling code and `PhoneNumber` a valid number of it, given without the
 * country code (cams-api.md §1.3; Meta's `phone_number` is also without it,
 * whatsapp-upstream.md §1.3).
 */
export function normalizePhoneNumber(ccParam: string, phoneParam: string): NormalizedNumber {
  const cc = ccParam.trim().replace(/^\+/, '').replace(/^00/, '');
  if (!DIGITS.test(cc) || !CALLING_CODES.has(cc)) {
    throw invalidParameter('Cc', `expected a country calling code such as 86 or 1, got "${ccParam}".`);
  }
  const phone = phoneParam.trim();
  if (!DIGITS.test(phone)) {
    throw invalidParameter(
      'PhoneNumber',
      `expected digits only, without "+", spaces or the country code, got "${phoneParam}".`,
    );
  }
  const parsed = parsePhoneNumberFromString(`+${cc}${phone}`);
  if (parsed === undefined || !parsed.isValid() || parsed.countryCallingCode !== cc) {
    const withoutCc = phone.startsWith(cc) ? parsePhoneNumberFromString(`+${phone}`) : undefined;
    const hint = withoutCc?.isValid()
      ? ' It looks like it includes the country code; give it without the Cc prefix.'
      : '';
    throw invalidParameter(
      'PhoneNumber',
      `expected a valid phone number of country calling code ${cc} without the country code, got "${phoneParam}".${hint}`,
    );
  }
  return { cc, nationalNumber: parsed.nationalNumber, e164: `${cc}${parsed.nationalNumber}` };
}

/** Display-name sanity at intake (Meta's `verified_name` is 2-75 characters, whatsapp-upstream.md §1.3). */
export function checkVerifiedName(name: string): string {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length < 2 || length > 75) {
    throw invalidParameter('VerifiedName', `expected 2 to 75 characters, got ${length}.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw invalidParameter('VerifiedName', 'expected no control characters (line breaks, tabs).');
  }
  const refused = unacceptableText(trimmed);
  if (refused !== undefined) throw invalidParameter('VerifiedName', refused);
  return trimmed;
}
