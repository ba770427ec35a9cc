/** `rejection_reason` values of Meta's `phone_number_name_update` webhook (whatsapp-upstream.md §1.7). */
export type NameRejectionReason =
  | 'NAME_EMPLOYEE_ISSUE'
  | 'NAME_ENDCLIENT_NOTRELATED'
  | 'NAME_FORMAT_UNACCEPTABLE'
  | 'NAME_INDIVIDUAL_ISSUE'
  | 'NAME_NOT_CONSISTENT'
  | 'UNKNOWN';

export interface NameReview {
  decision: 'APPROVED' | 'DECLINED';
  reason?: NameRejectionReason;
  explanation: string;
}

/** Single generic words Meta's guidelines refuse as a display name ("Fashion", whatsapp-upstream.md §1.7). */
const GENERIC_TERMS = new Set([
  'fashion',
  'shop',
  'store',
  'business',
  'test',
  'demo',
  'company',
  'service',
  'services',
  'market',
  'restaurant',
  'food',
  'clothing',
  'shoes',
  'travel',
  'news',
  'support',
  'sales',
  'bank',
  'hotel',
  'pharmacy',
  'electronics',
  'beauty',
  'whatsapp',
]);

/**
 * Generic locations ("New York", whatsapp-upstream.md §1.7): a name that is only a place does not identify a
 * business.
 */
const GENERIC_LOCATIONS = new Set([
  'new york',
  'london',
  'paris',
  'tokyo',
  'beijing',
  'shanghai',
  'hangzhou',
  'singapore',
  'hong kong',
  'dubai',
  'jakarta',
  'mumbai',
  'delhi',
  'sao paulo',
  'mexico city',
  'los angeles',
  'berlin',
  'madrid',
  'sydney',
  'china',
  'india',
  'indonesia',
  'brazil',
  'mexico',
  'usa',
  'united states',
  'europe',
  'asia',
  'africa',
]);

const URL_LIKE = /\bwww\.|https?:\/\/|\.(?:com|net|org|io|co|info|biz|shop)\b/i;
const TRADEMARK_SYMBOLS = /[™®©℠]/u;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const REPEATED_PUNCTUATION = /[!?.,;:'"-]{2,}/;
const STRAY_SYMBOLS = /[*#~^|<>=_{}[\]\\@$%]/;
/** All-caps names are allowed only as short acronyms ("IBM", "BMW AG"). */
const MAX_ACRONYM_LETTERS = 5;

const declined = (reason: NameRejectionReason, explanation: string): NameReview => ({
  decision: 'DECLINED',
  reason,
  explanation,
});
const format = (explanation: string): NameReview => declined('NAME_FORMAT_UNACCEPTABLE', explanation);

/**
 * Meta's display-name review, reduced to the rules a machine can apply (whatsapp-upstream.md §1.7, from the
 * Help Center guidelines as BSPs copy them). Formatting faults are NAME_FORMAT_UNACCEPTABLE; a generic
 * term or location fails the "represents a business, consistent with its branding" principle and is
 * reported as NAME_NOT_CONSISTENT (Meta's enum has no closer value). Rules that need outside knowledge
 * (an individual's full name, the relationship to the business, brand styling waivers) are not modelled.
 */
export function reviewDisplayName(name: string): NameReview {
  const length = [...name].length;
  // Spec allows 2-75, the guidelines ask for at least 3: enforce 3-75 (whatsapp-upstream.md §1.7 "Length").
  if (length < 3 || length > 75) return format(`The name must be 3 to 75 characters long; it has ${length}.`);
  if (name !== name.trim() || /\s{2,}|[^\S ]/u.test(name)) {
    return format('Use consistent spacing: single spaces between words, none at the start or end.');
  }
  if (TRADEMARK_SYMBOLS.test(name)) return format('Symbols such as ™ or ® are not allowed.');
  if (EMOJI.test(name)) return format('Emojis are not allowed.');
  if (URL_LIKE.test(name)) return format('URL formatting (www, .com, http) is not allowed.');
  if (REPEATED_PUNCTUATION.test(name) || STRAY_SYMBOLS.test(name)) {
    return format('Extra punctuation or symbols are not allowed.');
  }
  const letters = name.match(/\p{L}/gu) ?? [];
  const hasLower = /\p{Ll}/u.test(name);
  const hasUpper = /\p{Lu}/u.test(name);
  if (hasUpper && !hasLower && letters.length > MAX_ACRONYM_LETTERS) {
    return format('ALL CAPS is allowed only for short acronyms; use normal capitalization.');
  }
  if (hasLower && !hasUpper) return format('Use grammatically correct capitalization.');
  const key = name.toLowerCase();
  if (GENERIC_TERMS.has(key)) {
    return declined('NAME_NOT_CONSISTENT', `"${name}" is a generic term, not the name of a business.`);
  }
  if (GENERIC_LOCATIONS.has(key)) {
    return declined('NAME_NOT_CONSISTENT', `"${name}" is a generic location, not the name of a business.`);
  }
  return { decision: 'APPROVED', explanation: 'The name follows the display-name guidelines.' };
}
