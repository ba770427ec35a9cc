import type { PhoneNumberRecord } from '../store/records.js';

// Views of frozen records (the store's cached lists): a record that cannot change has one view.
const VIEWS = new WeakMap<PhoneNumberRecord, Readonly<Record<string, string>>>();

/** A number as QueryChatappPhoneNumbers and ChatappSyncPhoneNumber answer it (cams-api.md §1.3). */
export function phoneNumberView(n: PhoneNumberRecord): Readonly<Record<string, string>> {
  if (!Object.isFrozen(n)) return view(n);
  let v = VIEWS.get(n);
  if (v === undefined) {
    v = Object.freeze(view(n));
    VIEWS.set(n, v);
  }
  return v;
}

function view(n: PhoneNumberRecord): Record<string, string> {
  return {
    PhoneNumber: n.e164,
    VerifiedName: n.verifiedName,
    Status: n.status,
    QualityRating: n.qualityRating,
    CodeVerificationStatus: n.codeVerificationStatus,
    NameStatus: n.nameStatus,
    NewNameStatus: n.newNameStatus,
    // Not in Alibaba's model (the SDK ignores it): why the name was declined, while it is (cams-api.md §1.3).
    ...(n.nameStatus === 'Rejected' && n.nameRejectionReason !== ''
      ? { NameRejectionReason: n.nameRejectionReason }
      : {}),
    MessagingLimitTier: n.messagingLimitTier,
    StatusCallbackUrl: n.statusCallbackUrl,
    UpCallbackUrl: n.upCallbackUrl,
    StatusQueue: '',
    UpQueue: '',
    IsOfficial: 'N',
  };
}
