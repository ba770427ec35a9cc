/**
 * The JSON body POSTed to a callback URL (Content-Type: application/json), keys in this order:
 *
 * ```json
 * {
 *   "EventId": "4f0b6c1e-8a43-4b8e-9d0e-6b1f1c1d2e3f",
 *   "EventType": "PhoneNumberStatus",
 *   "Timestamp": "2026-01-01T12:00:00.000Z",
 *   "AccountId": "1234567890123456",
 *   "Data": { "CustSpaceId": "cams-xxx", "PhoneNumber": "8613800138000", "Status": "VERIFIED" }
 * }
 * ```
 *
 * EventId is the same on every attempt of one event: receivers de-duplicate on it, because delivery
 * is at least once. Timestamp is when the event happened (not when this attempt was sent; that is the
 * X-Cams-Timestamp header). EventType and Data are chosen by the caller of `enqueue`; for phone
 * numbers the service uses the CAMS field names in Data (CustSpaceId, PhoneNumber, Status,
 * CodeVerificationStatus, NameStatus, ...).
 */
export interface WebhookPayload<D extends Record<string, unknown> = Record<string, unknown>> {
  readonly EventId: string;
  readonly EventType: string;
  readonly Timestamp: string;
  readonly AccountId: string;
  readonly Data: D;
}

/** What the service hands to `enqueue`. */
export interface WebhookEvent {
  /** The customer's callback URL (checked when registered and again before each delivery). */
  readonly url: string;
  /** e.g. PhoneNumberStatus, CodeVerificationStatus, NameStatus. */
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** Bodies are stored in the outbox and sent as is; a cap keeps rows and requests small. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export class WebhookEventError extends Error {
  override readonly name = 'WebhookEventError';
}

/** Serializes the payload once; the same string is signed and sent on every attempt. */
export function renderPayload(
  eventId: string,
  accountId: string,
  event: WebhookEvent,
  nowMs: number,
): string {
  if (accountId === '') throw new WebhookEventError('webhook accountId must not be empty');
  if (!EVENT_TYPE.test(event.type)) {
    throw new WebhookEventError(
      `webhook event type ${JSON.stringify(event.type)} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter`,
    );
  }
  if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
    throw new WebhookEventError('webhook event data must be a JSON object');
  }
  const payload: WebhookPayload = {
    EventId: eventId,
    EventType: event.type,
    Timestamp: new Date(nowMs).toISOString(),
    AccountId: accountId,
    Data: event.data,
  };
  const body = JSON.stringify(payload);
  if (Buffer.byteLength(body) > MAX_WEBHOOK_BODY_BYTES) {
    throw new WebhookEventError(`webhook body exceeds ${MAX_WEBHOOK_BODY_BYTES} bytes`);
  }
  return body;
}
