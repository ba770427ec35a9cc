import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { SimPhoneNumbersTable } from './tables.js';
import type { UpstreamPhoneNumber } from '../provider.js';
import { reviewDisplayName, type NameReview } from './name-review.js';
import type { SimulatorOptions } from './options.js';

/**
 * What changes about a number over its life (whatsapp-upstream.md §1.2), as event timestamps in simulator
 * milliseconds. Time-based statuses (verification EXPIRED, the name decision) are not stored: they are
 * derived from these timestamps and "now", so moving the clock is all it takes to reach them.
 */
export interface NumberState {
  /** When verify_code last succeeded. */
  verifiedAt?: number;
  /** The two-step verification PIN Meta holds; set by the first register (whatsapp-upstream.md §1.6). */
  pin?: string;
  /** Wrong PINs in a row, and when the last one came (133008/133009). */
  pinFailures: number;
  lastPinFailureAt?: number;
  /** Set while the number is registered. */
  registeredAt?: number;
  /** Last successful deregister. */
  deregisteredAt?: number;
  /** After 133016 on a register, no register until then (whatsapp-upstream.md §1.6). */
  registerBlockedUntil?: number;
  /** After 133016 on a deregister, no deregister until then (a separate budget, whatsapp-upstream.md §3.4). */
  deregisterBlockedUntil?: number;
  /** When Meta's display-name review decides (whatsapp-upstream.md §1.7). */
  nameReviewDueAt: number;
  /** An operator's decision, replacing the rule-based review. */
  nameOverride?: NameReview;
}

export function initialState(createdAt: number, options: SimulatorOptions): NumberState {
  return { pinFailures: 0, nameReviewDueAt: createdAt + options.nameReviewDelayMs };
}

export type VerificationStatus = 'NOT_VERIFIED' | 'VERIFIED' | 'EXPIRED';

/**
 * `code_verification_status`: VERIFIED lapses to EXPIRED after verificationTtlMs (whatsapp-upstream.md §1.5,
 * 14 days).
 */
export function verificationStatus(
  state: NumberState,
  now: number,
  options: SimulatorOptions,
): VerificationStatus {
  if (state.verifiedAt === undefined) return 'NOT_VERIFIED';
  return now >= state.verifiedAt + options.verificationTtlMs ? 'EXPIRED' : 'VERIFIED';
}

export interface NameStatus {
  status: 'PENDING_REVIEW' | 'APPROVED' | 'DECLINED';
  review?: NameReview;
}

/**
 * `name_status`: PENDING_REVIEW until the review is due, then the review's decision
 * (whatsapp-upstream.md §1.7).
 */
export function nameStatus(state: NumberState, verifiedName: string, now: number): NameStatus {
  if (state.nameOverride !== undefined) {
    return { status: state.nameOverride.decision, review: state.nameOverride };
  }
  if (now < state.nameReviewDueAt) return { status: 'PENDING_REVIEW' };
  const review = reviewDisplayName(verifiedName);
  return { status: review.decision, review };
}

/**
 * The instants at which the number's view changes on its own (without a call): the display-name decision
 * (also set when an operator overrides it) and, for a verified number not registered, the lapse of its
 * verification. Past instants are kept: a reader that last looked before one of them is behind.
 */
export function scheduledChanges(state: NumberState, options: SimulatorOptions): number[] {
  const at = [state.nameReviewDueAt];
  if (state.verifiedAt !== undefined && state.registeredAt === undefined) {
    at.push(state.verifiedAt + options.verificationTtlMs);
  }
  return at;
}

/**
 * `status`: PENDING until the first register, CONNECTED while registered, DISCONNECTED after deregister. Meta
 * documents no status for a deregistered number (whatsapp-upstream.md §1.6 only says it is "no longer
 * registered"); DISCONNECTED is the connection-status value for a number that was connected and is not
 * (whatsapp-upstream.md §1.4), and keeps it distinct from a number never onboarded. platform_type
 * NOT_APPLICABLE means "not registered".
 */
export function connectionStatus(state: NumberState): 'PENDING' | 'CONNECTED' | 'DISCONNECTED' {
  if (state.registeredAt !== undefined) return 'CONNECTED';
  return state.deregisteredAt === undefined ? 'PENDING' : 'DISCONNECTED';
}

/** Meta's display form, e.g. "+86 138 0013 8000" (libphonenumber's international format). */
function displayNumber(e164: string): string {
  return parsePhoneNumberFromString(`+${e164}`)?.formatInternational() ?? `+${e164}`;
}

/**
 * The number as `GET /{phone-number-id}` reports it at `now`. The display form is formatted only when
 * read (the Graph wire form reads it; the service itself does not, and formatting costs more than the
 * rest of the view).
 */
export function phoneNumberView(
  row: SimPhoneNumbersTable,
  state: NumberState,
  now: number,
  options: SimulatorOptions,
): UpstreamPhoneNumber {
  const name = nameStatus(state, row.verified_name, now);
  const onboarded = state.registeredAt !== undefined || state.deregisteredAt !== undefined;
  return {
    id: row.id,
    wabaId: row.waba_id,
    cc: row.cc,
    phoneNumber: row.phone_number,
    e164: row.e164,
    get displayPhoneNumber() {
      return displayNumber(row.e164);
    },
    verifiedName: row.verified_name,
    status: connectionStatus(state),
    codeVerificationStatus: verificationStatus(state, now, options),
    nameStatus: name.status,
    newNameStatus: 'NONE',
    ...(name.status === 'DECLINED' && name.review?.reason !== undefined
      ? { nameRejectionReason: name.review.reason }
      : {}),
    // A number gets a quality rating and a messaging tier once it is on the platform; before that Meta reports
    // quality UNKNOWN/NA and no tier (whatsapp-upstream.md §1.4).
    qualityRating: onboarded ? 'GREEN' : row.quality_rating,
    messagingLimitTier: onboarded ? row.messaging_limit_tier : '',
    platformType: state.registeredAt === undefined ? 'NOT_APPLICABLE' : 'CLOUD_API',
    isPinEnabled: state.pin !== undefined,
  };
}
