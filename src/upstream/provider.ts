/**
 * The upstream WhatsApp Business Management API, as this service needs it
 * (reference/whatsapp-upstream.md §1). Implementations: the embedded simulator (default) and, later,
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
  /** Meta `status`: PENDING, CONNECTED, ... */
  status: string;
  /** Meta `code_verification_status`: NOT_VERIFIED, VERIFIED, EXPIRED. */
  codeVerificationStatus: string;
  /** Meta `name_status`: PENDING_REVIEW, APPROVED, DECLINED, AVAILABLE_WITHOUT_REVIEW, ... */
  nameStatus: string;
  /** Meta `quality_rating`: GREEN, YELLOW, RED, UNKNOWN. */
  qualityRating: string;
  messagingLimitTier: string;
  platformType: string;
}

export interface CreatePhoneNumberInput {
  cc: string;
  phoneNumber: string;
  verifiedName: string;
}

export interface WhatsAppProvider {
  readonly kind: 'simulator' | 'graph';
  /** `POST /{waba-id}/phone_numbers`, then the created number as Meta reports it. */
  createPhoneNumber(wabaId: string, input: CreatePhoneNumberInput): Promise<UpstreamPhoneNumber>;
  /** `GET /{waba-id}/phone_numbers`. */
  listPhoneNumbers(wabaId: string): Promise<UpstreamPhoneNumber[]>;
}

/** A Graph API error object (whatsapp-upstream.md §1.10), from Meta or the simulator. */
export class UpstreamError extends Error {
  readonly code: number;
  readonly subcode: number | undefined;
  readonly httpStatus: number;
  readonly userMessage: string | undefined;
  readonly transient: boolean;

  constructor(init: {
    message: string;
    code: number;
    subcode?: number;
    httpStatus: number;
    userMessage?: string;
    transient?: boolean;
  }) {
    super(init.message);
    this.name = 'UpstreamError';
    this.code = init.code;
    this.subcode = init.subcode;
    this.httpStatus = init.httpStatus;
    this.userMessage = init.userMessage;
    this.transient = init.transient ?? false;
  }
}
