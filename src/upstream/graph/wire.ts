import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { BusinessProfile, UpstreamPhoneNumber, UpstreamWaba } from '../provider.js';

/**
 * Meta's wire names of the objects this service reads (whatsapp-upstream.md §1.4, §2.2) and the one
 * translation between them and the provider's camel-cased types. The Graph client parses with it and the
 * HTTP simulator renders with it, so both sides agree by construction.
 */
export type GraphObject = Record<string, unknown>;

/**
 * `GET /{phone-number-id}?fields=` and `GET /{waba-id}/phone_numbers?fields=` (whatsapp-upstream.md §1.4).
 */
export const PHONE_NUMBER_FIELDS = [
  'id',
  'display_phone_number',
  'verified_name',
  'code_verification_status',
  'name_status',
  'new_name_status',
  'quality_rating',
  'messaging_limit_tier',
  'platform_type',
  'status',
  'is_pin_enabled',
] as const;

/**
 * Meta's default fields of a phone-number node when `fields` is absent (whatsapp-upstream.md §1.4, [spec]).
 */
export const PHONE_NUMBER_DEFAULT_FIELDS = ['id', 'display_phone_number', 'verified_name', 'quality_rating'];

/** `GET|POST /{phone-number-id}/whatsapp_business_profile`. */
export const PROFILE_FIELDS = [
  'about',
  'address',
  'description',
  'email',
  'profile_picture_url',
  'vertical',
  'websites',
] as const;

/** `GET /{waba-id}?fields=`. */
export const WABA_FIELDS = [
  'id',
  'name',
  'currency',
  'account_review_status',
  'message_template_namespace',
  'owner_business_info',
] as const;

export const WABA_DEFAULT_FIELDS = ['id', 'name'];

const text = (o: GraphObject, key: string, fallback = ''): string => {
  const value = o[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
};

export function phoneNumberToGraph(n: UpstreamPhoneNumber): GraphObject {
  return {
    id: n.id,
    display_phone_number: n.displayPhoneNumber,
    verified_name: n.verifiedName,
    code_verification_status: n.codeVerificationStatus,
    name_status: n.nameStatus,
    new_name_status: n.newNameStatus,
    quality_rating: n.qualityRating,
    // Absent until the number is on the platform (whatsapp-upstream.md §1.4).
    ...(n.messagingLimitTier === '' ? {} : { messaging_limit_tier: n.messagingLimitTier }),
    platform_type: n.platformType,
    status: n.status,
    is_pin_enabled: n.isPinEnabled,
  };
}

/**
 * A phone number as Graph reports it. Meta's node carries neither its WABA nor `cc`/`phone_number`
 * separately: the WABA comes from the caller, the country code and national number are parsed from
 * `display_phone_number` ("+1 631-555-5555", whatsapp-upstream.md §1.4). `nameRejectionReason` only exists in
 * the `phone_number_name_update` webhook (whatsapp-upstream.md §1.7), so it is never set here.
 */
export function phoneNumberFromGraph(o: GraphObject, wabaId: string): UpstreamPhoneNumber {
  const display = text(o, 'display_phone_number');
  const digits = display.replace(/\D/g, '');
  const parsed = digits === '' ? undefined : parsePhoneNumberFromString(`+${digits}`);
  return {
    id: text(o, 'id'),
    wabaId,
    cc: parsed?.countryCallingCode ?? '',
    phoneNumber: parsed?.nationalNumber ?? digits,
    e164: digits,
    displayPhoneNumber: display,
    verifiedName: text(o, 'verified_name'),
    status: text(o, 'status', 'UNKNOWN'),
    codeVerificationStatus: text(o, 'code_verification_status', 'NOT_VERIFIED'),
    nameStatus: text(o, 'name_status', 'NONE'),
    newNameStatus: text(o, 'new_name_status', 'NONE'),
    // Meta's spec says NA where clients see UNKNOWN (whatsapp-upstream.md §1.4); the domain maps both.
    qualityRating: text(o, 'quality_rating', 'UNKNOWN'),
    messagingLimitTier: text(o, 'messaging_limit_tier'),
    platformType: text(o, 'platform_type', 'NOT_APPLICABLE'),
    isPinEnabled: o.is_pin_enabled === true,
  };
}

/** Meta omits unset profile fields; the provider type uses '' and []. */
export function profileFromGraph(o: GraphObject): BusinessProfile {
  const websites = Array.isArray(o.websites) ? o.websites.filter((w) => typeof w === 'string') : [];
  return {
    about: text(o, 'about'),
    address: text(o, 'address'),
    description: text(o, 'description'),
    email: text(o, 'email'),
    profilePictureUrl: text(o, 'profile_picture_url'),
    vertical: text(o, 'vertical'),
    websites,
  };
}

/** The GET rendering: unset fields are left out, as Meta does, plus `messaging_product`. */
export function profileToGraph(p: BusinessProfile): GraphObject {
  const out: GraphObject = { messaging_product: 'whatsapp' };
  const set = (key: string, value: string) => {
    if (value !== '') out[key] = value;
  };
  set('about', p.about);
  set('address', p.address);
  set('description', p.description);
  set('email', p.email);
  set('profile_picture_url', p.profilePictureUrl);
  set('vertical', p.vertical);
  if (p.websites.length > 0) out.websites = [...p.websites];
  return out;
}

const PATCH_KEYS: ReadonlyArray<[keyof BusinessProfile, (typeof PROFILE_FIELDS)[number]]> = [
  ['about', 'about'],
  ['address', 'address'],
  ['description', 'description'],
  ['email', 'email'],
  ['profilePictureUrl', 'profile_picture_url'],
  ['vertical', 'vertical'],
  ['websites', 'websites'],
];

/**
 * The POST body of a profile update: only the given fields (whatsapp-upstream.md §2.2); Meta requires
 * messaging_product.
 */
export function profilePatchToGraph(patch: Partial<BusinessProfile>): GraphObject {
  const out: GraphObject = { messaging_product: 'whatsapp' };
  for (const [key, wire] of PATCH_KEYS) if (patch[key] !== undefined) out[wire] = patch[key];
  return out;
}

/** The inverse of profilePatchToGraph, for the simulator reading wire parameters. */
export function profilePatchFromGraph(params: GraphObject): Partial<BusinessProfile> {
  const patch: Partial<Record<keyof BusinessProfile, unknown>> = {};
  for (const [key, wire] of PATCH_KEYS) if (params[wire] !== undefined) patch[key] = params[wire];
  return patch as Partial<BusinessProfile>;
}

export function wabaToGraph(w: UpstreamWaba): GraphObject {
  return {
    id: w.id,
    name: w.name,
    currency: w.currency,
    account_review_status: w.accountReviewStatus,
    message_template_namespace: w.messageTemplateNamespace,
    owner_business_info: { id: w.businessId, name: w.businessName },
  };
}

export function wabaFromGraph(o: GraphObject): UpstreamWaba {
  const owner = (
    typeof o.owner_business_info === 'object' && o.owner_business_info !== null ? o.owner_business_info : {}
  ) as GraphObject;
  return {
    id: text(o, 'id'),
    name: text(o, 'name'),
    currency: text(o, 'currency'),
    accountReviewStatus: text(o, 'account_review_status'),
    messageTemplateNamespace: text(o, 'message_template_namespace'),
    businessId: text(owner, 'id'),
    businessName: text(owner, 'name'),
  };
}

/** Only the requested fields of a rendered object; Meta always includes `id` when the node has one. */
export function selectFields(o: GraphObject, fields: readonly string[]): GraphObject {
  const out: GraphObject = {};
  if ('id' in o) out.id = o.id;
  for (const f of fields) if (f in o) out[f] = o[f];
  return out;
}
