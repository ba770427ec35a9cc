import { uuidv7 } from '../store/time-ordered-id.js';
import type { PhoneNumberPatch, PhoneNumberRecord } from '../store/records.js';
import type { UpstreamPhoneNumber } from '../upstream/provider.js';
import { camsNameStatus, camsQualityRating } from './cams-enums.js';

/** The upstream view of a number as the fields CAMS shows (cams-api.md §1.4). */
export function patchFromUpstream(u: UpstreamPhoneNumber): PhoneNumberPatch {
  const nameStatus = camsNameStatus(u.nameStatus);
  return {
    upstreamId: u.id,
    verifiedName: u.verifiedName,
    status: u.status,
    codeVerificationStatus: u.codeVerificationStatus,
    nameStatus,
    // Only while the name is declined; Meta's Graph API does not say why (the Graph provider leaves it unset).
    nameRejectionReason: nameStatus === 'Rejected' ? (u.nameRejectionReason ?? '') : '',
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

/**
 * A new local record of a number, in the state Meta gives a freshly created one unless `state` (the
 * upstream view) says otherwise. An empty upstreamId marks an intent (see PhoneNumberService.add).
 */
export function newPhoneNumberRecord(init: {
  accountId: string;
  custSpaceId: string;
  cc: string;
  nationalNumber: string;
  verifiedName: string;
  nowIso: string;
  state?: UpstreamPhoneNumber;
}): PhoneNumberRecord {
  return {
    id: uuidv7(),
    accountId: init.accountId,
    custSpaceId: init.custSpaceId,
    upstreamId: '',
    cc: init.cc,
    nationalNumber: init.nationalNumber,
    e164: `${init.cc}${init.nationalNumber}`,
    verifiedName: init.verifiedName,
    status: 'PENDING',
    codeVerificationStatus: 'NOT_VERIFIED',
    nameStatus: 'Pending_Review',
    newNameStatus: '',
    nameRejectionReason: '',
    qualityRating: 'UNKNOWN',
    messagingLimitTier: '',
    statusCallbackUrl: '',
    upCallbackUrl: '',
    createdAt: init.nowIso,
    updatedAt: init.nowIso,
    pinSealed: undefined,
    httpFlag: '',
    queueFlag: '',
    ...(init.state === undefined ? {} : definedOnly(patchFromUpstream(init.state))),
  };
}

export function definedOnly(patch: PhoneNumberPatch): PhoneNumberPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as PhoneNumberPatch;
}
