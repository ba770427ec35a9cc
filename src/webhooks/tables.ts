/**
 * The webhook subsystem's own tables, so it can be handed a Kysely instance without depending on the
 * rest of the schema. Timestamps are ISO 8601 strings (`Date#toISOString`, fixed width, so they compare
 * correctly as text on SQLite and PostgreSQL alike).
 */
export interface WebhookTables {
  webhook_events: WebhookEventsTable;
  webhook_secrets: WebhookSecretsTable;
  webhook_attempts: WebhookAttemptsTable;
}

/** One delivery attempt of an event (015-console-sessions): what the receiver answered, or why not. */
export interface WebhookAttemptsTable {
  event_id: string;
  /** 1 for the first attempt; a redelivery continues the count of the event's history. */
  attempt: number;
  at: string;
  /** The event's status after this attempt: delivered, pending (to be retried) or failed. */
  outcome: WebhookEventStatus;
  status_code: number | null;
  error: string | null;
}

/** `pending` is waiting or in flight; `delivered` got a 2xx; `failed` ran out of attempts (dead letter). */
export type WebhookEventStatus = 'pending' | 'delivered' | 'failed';

/** The outbox: one row per event, kept after delivery for the operator's history. */
export interface WebhookEventsTable {
  /** UUID; also the payload's EventId, so receivers can de-duplicate at-least-once deliveries. */
  id: string;
  account_id: string;
  url: string;
  event_type: string;
  /** The exact JSON body, fixed at enqueue so every attempt sends the same bytes. */
  body: string;
  status: WebhookEventStatus;
  /** Attempts started so far; incremented when a dispatcher claims the row. */
  attempts: number;
  next_attempt_at: string;
  /** Lease of the dispatcher delivering the row; a row is claimable when null or in the past. */
  locked_until: string | null;
  /** Identifies the lease holder, so a dispatcher whose lease expired cannot record an outcome. */
  lock_token: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Per-account HMAC signing secret, sealed with SecretBox (associated data `webhook_secret:<accountId>`). */
export interface WebhookSecretsTable {
  account_id: string;
  secret_sealed: string;
  created_at: string;
  rotated_at: string | null;
}
