/** Webhook delivery: signed, at-least-once notifications of phone-number changes to customers. */
export {
  WebhookDispatcher,
  type WebhookAttemptOutcome,
  type WebhookDispatcherDeps,
} from './webhook-dispatcher.js';
export {
  checkCallbackUrl,
  CallbackUrlError,
  redactUrl,
  STRICT_CALLBACK_URL_POLICY,
  type CallbackUrlPolicy,
  type CallbackUrlProblem,
  type HostLookup,
} from './callback-url.js';
export type { AddressCategory } from './address-category.js';
export {
  verifyWebhookSignature,
  webhookSignature,
  DEFAULT_SIGNATURE_TOLERANCE_MS,
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type WebhookRequestHeaders,
} from './signature.js';
export { DEFAULT_WEBHOOK_OPTIONS, resolveWebhookOptions, type WebhookOptions } from './options.js';
export {
  MAX_WEBHOOK_BODY_BYTES,
  WebhookEventError,
  type WebhookEvent,
  type WebhookPayload,
} from './payload.js';
export type { WebhookAttempt, WebhookEventFilter, WebhookEventRecord } from './outbox.js';
export type { WebhookEventStatus, WebhookTables } from './tables.js';
export { WEBHOOK_MIGRATIONS } from './migrations/index.js';
