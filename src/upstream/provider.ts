/**
 * The upstream WhatsApp Business Management API, as this service needs it
 * (whatsapp-upstream.md §1). Implementations: the embedded simulator (default) and, later,
 * the Meta Graph API client. Values are Meta's own enums; mapping to CAMS enums happens in the domain.
 */
export interface UpstreamPhoneNumber {
  id: string;
  wabaId: string;
  cc: string;
  /** National significant number, without the country code. */
  phoneNumber: string;
  /** Digits only, country code first. */
  e164: string;
  displayPhoneNumber: string;
  verifiedName: string;
  /** Meta `status`: PENDING (never registered), CONNECTED, DISCONNECTED, ... (whatsapp-upstream.md §1.4). */
  status: string;
  /** Meta `code_verification_status`: NOT_VERIFIED, VERIFIED, EXPIRED (whatsapp-upstream.md §1.4, §1.5). */
  codeVerificationStatus: string;
  /** Meta `name_status`: PENDING_REVIEW, APPROVED, DECLINED, AVAILABLE_WITHOUT_REVIEW, ... */
  nameStatus: string;
  /** Meta `new_name_status` for a pending rename, same enum as nameStatus; 'NONE' when there is none. */
  newNameStatus: string;
  /**
   * Meta's `rejection_reason` of the `phone_number_name_update` webhook (whatsapp-upstream.md §1.7) when
   * nameStatus is DECLINED: NAME_FORMAT_UNACCEPTABLE, NAME_INDIVIDUAL_ISSUE, ...
   */
  nameRejectionReason?: string;
  /** Meta `quality_rating`: GREEN, YELLOW, RED, UNKNOWN. */
  qualityRating: string;
  messagingLimitTier: string;
  /**
   * Meta `platform_type`: CLOUD_API once registered, NOT_APPLICABLE when not registered
   * (whatsapp-upstream.md §1.4).
   */
  platformType: string;
  /**
   * Meta `is_pin_enabled`: two-step verification is on (the first register sets the PIN,
   * whatsapp-upstream.md §1.6).
   */
  isPinEnabled: boolean;
}

export interface CreatePhoneNumberInput {
  cc: string;
  phoneNumber: string;
  verifiedName: string;
}

/**
 * `request_code` parameters (whatsapp-upstream.md §1.5): `code_method` and `language` (a locale such as
 * en_US).
 */
export interface RequestCodeInput {
  method: 'SMS' | 'VOICE';
  language: string;
}

/** Meta's business verticals, as CAMS also lists them (whatsapp_business_profile `vertical`). */
export const BUSINESS_VERTICALS = [
  'RETAIL',
  'TRAVEL',
  'PROF_SERVICES',
  'APPAREL',
  'GOVT',
  'ENTERTAIN',
  'GROCERY',
  'HOTEL',
  'OTHER',
  'AUTO',
  'FINANCE',
  'BEAUTY',
  'EDU',
  'EVENT_PLAN',
  'NONPROFIT',
  'RESTAURANT',
  'HEALTH',
] as const;
export type BusinessVertical = (typeof BUSINESS_VERTICALS)[number];

/** `GET|POST /{phone-number-id}/whatsapp_business_profile` fields; '' and [] when unset. */
export interface BusinessProfile {
  about: string;
  address: string;
  description: string;
  email: string;
  profilePictureUrl: string;
  /** One of BUSINESS_VERTICALS, or '' when unset. */
  vertical: string;
  websites: string[];
}

/** `GET /{waba-id}` fields the service shows (Meta names, camel-cased). */
export interface UpstreamWaba {
  id: string;
  name: string;
  currency: string;
  /** Meta `account_review_status`: APPROVED, PENDING, REJECTED. */
  accountReviewStatus: string;
  messageTemplateNamespace: string;
  /** The owning business portfolio (`owner_business_info`). */
  businessId: string;
  businessName: string;
}

export interface WhatsAppProvider {
  /**
   * Reading one number is a local lookup, not a call over the network (the embedded simulator): the
   * reconciler then re-reads the few numbers in transition of a space one by one instead of listing the
   * whole WABA, which is cheaper where every call costs a round trip and counts against rate limits.
   */
  readonly readsAreLocal: boolean;
  /**
   * A provider that knows its own schedule (the embedded simulator): its time now, in the unit of
   * `scheduledChanges`. With both, reads apply due changes themselves (docs/lifecycle.md, "Never stale").
   */
  now?(): Promise<number>;
  /**
   * For each of these numbers that exists, the instants (in `now()` time, past ones included) at which
   * its state changes on its own: a display-name decision, a lapsing verification.
   */
  scheduledChanges?(phoneNumberIds: readonly string[]): Promise<Map<string, number[]>>;
  /** `POST /{waba-id}/phone_numbers`, then the created number as Meta reports it. */
  createPhoneNumber(wabaId: string, input: CreatePhoneNumberInput): Promise<UpstreamPhoneNumber>;
  /** `GET /{waba-id}/phone_numbers`. */
  listPhoneNumbers(wabaId: string): Promise<UpstreamPhoneNumber[]>;
  /** `GET /{phone-number-id}`; 100/33 when the ID is unknown. */
  getPhoneNumber(phoneNumberId: string): Promise<UpstreamPhoneNumber>;
  /** `POST /{phone-number-id}/request_code` (whatsapp-upstream.md §1.5). */
  requestCode(phoneNumberId: string, input: RequestCodeInput): Promise<void>;
  /** `POST /{phone-number-id}/verify_code` (whatsapp-upstream.md §1.5); 136025 on a wrong or expired code. */
  verifyCode(phoneNumberId: string, code: string): Promise<void>;
  /** `POST /{phone-number-id}/register` with the two-step verification PIN (whatsapp-upstream.md §1.6). */
  register(phoneNumberId: string, pin: string): Promise<void>;
  /** `POST /{phone-number-id}/deregister` (whatsapp-upstream.md §1.6). */
  deregister(phoneNumberId: string): Promise<void>;
  /** `GET /{phone-number-id}/whatsapp_business_profile`. */
  getBusinessProfile(phoneNumberId: string): Promise<BusinessProfile>;
  /** `POST /{phone-number-id}/whatsapp_business_profile`: only the given fields change. */
  updateBusinessProfile(phoneNumberId: string, patch: Partial<BusinessProfile>): Promise<void>;
  /** `GET /{waba-id}`. */
  getWaba(wabaId: string): Promise<UpstreamWaba>;
}

/**
 * Creates WhatsApp Business Accounts for new customer spaces: the embedded simulator can, Meta's API
 * cannot (a space then binds an existing WABA by its ID).
 */
export interface WabaFactory {
  /** A new WABA named `name` (under `fixedId` when given); answers its ID. */
  createWaba(name: string, fixedId?: string): Promise<string>;
}
