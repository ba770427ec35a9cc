/**
 * The records the store keeps and the domain works with, independent of how they are stored. In the
 * domain a phone number is its E.164 digits (`e164`); `phoneNumber` is the national number Meta and the
 * Add action's wire use.
 */

export interface CustSpace {
  id: string;
  accountId: string;
  name: string;
  wabaId: string;
  createdAt: string;
  /** UpdateAccountWebhook settings. */
  statusCallbackUrl: string;
  httpFlag: string;
  queueFlag: string;
}

export interface PhoneNumberRecord {
  id: string;
  accountId: string;
  custSpaceId: string;
  upstreamId: string;
  cc: string;
  nationalNumber: string;
  /** Digits only, country code first. */
  e164: string;
  verifiedName: string;
  status: string;
  codeVerificationStatus: string;
  nameStatus: string;
  newNameStatus: string;
  /** Why the display name was declined (Meta's rejection_reason) while nameStatus is Rejected; '' otherwise. */
  nameRejectionReason: string;
  qualityRating: string;
  messagingLimitTier: string;
  statusCallbackUrl: string;
  upCallbackUrl: string;
  createdAt: string;
  updatedAt: string;
  /** Sealed two-step verification PIN this service owns; undefined until the first register. */
  pinSealed: string | undefined;
  httpFlag: string;
  queueFlag: string;
}

/** The fields a refresh from upstream or a webhook setting may change. */
export type PhoneNumberPatch = Partial<
  Pick<
    PhoneNumberRecord,
    | 'upstreamId'
    | 'verifiedName'
    | 'status'
    | 'codeVerificationStatus'
    | 'nameStatus'
    | 'newNameStatus'
    | 'nameRejectionReason'
    | 'qualityRating'
    | 'messagingLimitTier'
    | 'statusCallbackUrl'
    | 'upCallbackUrl'
    | 'httpFlag'
    | 'queueFlag'
    | 'pinSealed'
  >
>;

/** How many numbers a space has: in all (intents included), intents, and numbers in transition. */
export interface SpaceCensus {
  numbers: number;
  intents: number;
  inTransition: number;
}

/**
 * Where a keyset page of phone numbers ends: numbers are listed space by space (space ID order) and by
 * `e164` within a space, the order of the unique (cust_space_id, e164) index, so a page costs its own
 * rows whatever the size of the space.
 */
export interface PagePosition {
  readonly custSpaceId: string;
  readonly e164: string;
}

/**
 * What a page asks for: at most `limit` numbers after `after`, of `status` only when given. The console's
 * filters, `nameStatus` and an e164 `prefix`, apply to a page of one space.
 */
export interface PageRequest {
  readonly limit: number;
  readonly after?: PagePosition;
  readonly status?: string;
  readonly nameStatus?: string;
  /** Numbers whose e164 starts with these digits. */
  readonly prefix?: string;
}

/** One page; `next` is the position of its last number when more follow (absent on the last page). */
export interface PhoneNumberPage {
  readonly numbers: PhoneNumberRecord[];
  readonly next?: PagePosition;
}
