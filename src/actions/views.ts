import type { PhoneNumberRecord } from '../store/phone-numbers-repo.js';

/** A number as QueryChatappPhoneNumbers and ChatappSyncPhoneNumber answer it (reference/cams-api.md §1.3). */
export function phoneNumberView(n: PhoneNumberRecord): Record<string, string> {
  return {
    PhoneNumber: n.e164,
    VerifiedName: n.verifiedName,
    Status: n.status,
    QualityRating: n.qualityRating,
    CodeVerificationStatus: n.codeVerificationStatus,
    NameStatus: n.nameStatus,
    NewNameStatus: n.newNameStatus,
    MessagingLimitTier: n.messagingLimitTier,
    StatusCallbackUrl: n.statusCallbackUrl,
    UpCallbackUrl: n.upCallbackUrl,
    StatusQueue: '',
    UpQueue: '',
    IsOfficial: 'N',
  };
}
