import type { PhoneNumberPatch, PhoneNumberRecord } from '../store/phone-numbers-repo.js';
import type { UpstreamPhoneNumber } from '../upstream/provider.js';
import { camsNameStatus, camsQualityRating } from './cams-enums.js';

/** The upstream view of a number as the fields CAMS shows (reference/cams-api.md §1.4). */
export function patchFromUpstream(u: UpstreamPhoneNumber): PhoneNumberPatch {
  return {
    upstreamId: u.id,
    verifiedName: u.verifiedName,
    status: u.status,
    codeVerificationStatus: u.codeVerificationStatus,
    nameStatus: camsNameStatus(u.nameStatus),
    newNameStatus: u.newNameStatus === 'NONE' ? '' : camsNameStatus(u.newNameStatus),
    qualityRating: camsQualityRating(u.qualityRating),
    messagingLimitTier: u.messagingLimitTier,
  };
}

/** The fields whose change is announced to the customer's StatusCallbackUrl. */
export const WATCHED = ['status', 'codeVerificationStatus', 'nameStatus', 'newNameStatus'] as const;
export type WatchedField = (typeof WATCHED)[number];

export function changedFields(
  before: PhoneNumberRecord,
  patch: PhoneNumberPatch,
): Array<keyof PhoneNumberPatch> {
  return (Object.keys(patch) as Array<keyof PhoneNumberPatch>).filter(
    (k) => patch[k] !== undefined && patch[k] !== before[k],
  );
}

/** `8613800138000` or `+8613800138000`, as the lifecycle actions take PhoneNumber. */
export function e164Param(value: string): string {
  return value.trim().replace(/^\+/, '').replace(/^00/, '');
}
