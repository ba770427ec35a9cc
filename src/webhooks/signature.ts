import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. The signed string is `${timestamp}.${rawBody}` (timestamp = X-Cams-Timestamp,
 * unix seconds), so a captured request cannot be replayed later with a fresh timestamp; the HMAC key
 * is the account's signing secret as UTF-8. Header: `X-Cams-Signature: v1=<lowercase hex>`; a
 * receiver accepts the request when any comma-separated `v1=` entry matches (room for key rollover).
 */
export const SIGNATURE_HEADER = 'x-cams-signature';
export const TIMESTAMP_HEADER = 'x-cams-timestamp';
export const EVENT_ID_HEADER = 'x-cams-event-id';

export const DEFAULT_SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Hex HMAC-SHA256 over `${timestampSeconds}.${rawBody}`. */
export function webhookSignature(
  secret: string,
  timestampSeconds: number,
  rawBody: string | Uint8Array,
): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
}

/** The headers of one delivery attempt. */
export function signedHeaders(
  secret: string,
  eventId: string,
  nowMs: number,
  rawBody: string,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/json',
    [EVENT_ID_HEADER]: eventId,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: `v1=${webhookSignature(secret, timestamp, rawBody)}`,
  };
}

/** Node's IncomingHttpHeaders, a fetch Headers object, or any lower- or mixed-case record. */
export type WebhookRequestHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: WebhookRequestHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function')
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(',') : (value as string | undefined);
}

/**
 * For receivers: true when the request is signed with `secret` and its timestamp is within
 * `toleranceMs` of `nowMs`. Pass the raw body exactly as received (before JSON parsing).
 */
export function verifyWebhookSignature(
  secret: string,
  headers: WebhookRequestHeaders,
  rawBody: string | Uint8Array,
  nowMs: number,
  toleranceMs: number = DEFAULT_SIGNATURE_TOLERANCE_MS,
): boolean {
  const timestampText = header(headers, TIMESTAMP_HEADER)?.trim();
  const signatures = header(headers, SIGNATURE_HEADER);
  if (timestampText === undefined || signatures === undefined || !/^\d{1,12}$/.test(timestampText))
    return false;
  const timestamp = Number(timestampText);
  if (Math.abs(nowMs - timestamp * 1000) > toleranceMs) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody), 'hex');
  let matched = false;
  for (const entry of signatures.split(',')) {
    const match = /^v1=([0-9a-fA-F]{64})$/.exec(entry.trim());
    // Keep comparing after a match so the time taken does not reveal which entry matched.
    if (match?.[1] !== undefined && timingSafeEqual(expected, Buffer.from(match[1], 'hex'))) matched = true;
  }
  return matched;
}
