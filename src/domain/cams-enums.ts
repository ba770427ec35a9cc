/**
 * Meta's phone-number enums mapped to the CAMS fields of QueryChatappPhoneNumbers
 * (cams-api.md §1.4; whatsapp-upstream.md §2.2: name_status APPROVED -> Approval,
 * PENDING_REVIEW -> Pending_Review, DECLINED -> Rejected). Values CAMS documents with Meta's own
 * spelling pass through unchanged.
 */
const NAME_STATUS: Record<string, string> = {
  APPROVED: 'Approval',
  AVAILABLE_WITHOUT_REVIEW: 'Approval',
  PENDING_REVIEW: 'Pending_Review',
  DECLINED: 'Rejected',
};

export function camsNameStatus(meta: string): string {
  return NAME_STATUS[meta] ?? meta;
}

export function camsQualityRating(meta: string): string {
  return meta === 'NA' ? 'UNKNOWN' : meta;
}
