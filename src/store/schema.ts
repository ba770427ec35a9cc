import type { WebhookEventsTable, WebhookSecretsTable } from '../webhooks/tables.js';

/** Kysely table types. Timestamps are ISO 8601 strings; booleans are 0/1 integers (portable to PostgreSQL). */
export interface Database {
  accounts: AccountsTable;
  ram_users: RamUsersTable;
  access_keys: AccessKeysTable;
  custom_policies: CustomPoliciesTable;
  policy_attachments: PolicyAttachmentsTable;
  cust_spaces: CustSpacesTable;
  phone_numbers: PhoneNumbersTable;
  sim_wabas: SimWabasTable;
  sim_phone_numbers: SimPhoneNumbersTable;
  sim_counters: SimCountersTable;
  sim_number_states: SimNumberStatesTable;
  sim_registration_calls: SimRegistrationCallsTable;
  sim_outbox: SimOutboxTable;
  sim_business_profiles: SimBusinessProfilesTable;
  sim_faults: SimFaultsTable;
  sim_clock: SimClockTable;
  meta: MetaTable;
  webhook_events: WebhookEventsTable;
  webhook_secrets: WebhookSecretsTable;
}

export interface AccountsTable {
  id: string;
  name: string;
  subscribed: number;
  created_at: string;
}

export interface RamUsersTable {
  id: string;
  account_id: string;
  name: string;
  display_name: string;
  created_at: string;
}

export interface AccessKeysTable {
  id: string;
  account_id: string;
  user_id: string | null;
  secret_sealed: string;
  status: 'Active' | 'Inactive';
  created_at: string;
}

export interface CustomPoliciesTable {
  account_id: string;
  name: string;
  description: string;
  document: string;
  created_at: string;
}

export interface PolicyAttachmentsTable {
  account_id: string;
  user_id: string;
  policy_type: 'System' | 'Custom';
  policy_name: string;
  created_at: string;
}

export interface CustSpacesTable {
  id: string;
  account_id: string;
  name: string;
  waba_id: string;
  created_at: string;
  status_callback_url: string | null;
  http_flag: string | null;
  queue_flag: string | null;
  /** The space's own Meta access token, sealed (005-space-graph-token); null: the deployment's. */
  graph_token_sealed: string | null;
}

export interface PhoneNumbersTable {
  id: string;
  account_id: string;
  cust_space_id: string;
  upstream_id: string;
  cc: string;
  national_number: string;
  /** Digits only, country code first, no '+': the form CAMS answers in PhoneNumber. */
  e164: string;
  verified_name: string;
  status: string;
  code_verification_status: string;
  name_status: string;
  new_name_status: string;
  quality_rating: string;
  messaging_limit_tier: string;
  status_callback_url: string;
  up_callback_url: string;
  created_at: string;
  updated_at: string;
  /** The two-step verification PIN this service generated for the number, sealed (004-lifecycle). */
  pin_sealed: string | null;
  http_flag: string | null;
  queue_flag: string | null;
}

export interface SimWabasTable {
  id: string;
  name: string;
  created_at: string;
}

export interface SimPhoneNumbersTable {
  id: string;
  waba_id: string;
  cc: string;
  phone_number: string;
  e164: string;
  verified_name: string;
  status: string;
  code_verification_status: string;
  name_status: string;
  quality_rating: string;
  messaging_limit_tier: string;
  platform_type: string;
  created_at: string;
}

export interface SimCountersTable {
  name: string;
  value: number;
}

/** Lifecycle state of a simulated number (upstream/simulator/lifecycle.ts); timestamps in simulator time. */
export interface SimNumberStatesTable {
  phone_number_id: string;
  verified_at: string | null;
  pin: string | null;
  pin_failures: number;
  last_pin_failure_at: string | null;
  registered_at: string | null;
  deregistered_at: string | null;
  register_blocked_until: string | null;
  name_review_due_at: string;
  /** Operator override of the display-name review: APPROVED or DECLINED, with reason and explanation. */
  name_decision: string | null;
  name_rejection_reason: string | null;
  name_explanation: string | null;
}

/** register/deregister requests, for the 10-per-72-hours window. */
export interface SimRegistrationCallsTable {
  phone_number_id: string;
  seq: number;
  kind: 'register' | 'deregister';
  at: string;
}

/** Codes "sent" by request_code, readable by the operator. */
export interface SimOutboxTable {
  id: string;
  seq: number;
  phone_number_id: string;
  e164: string;
  method: 'SMS' | 'VOICE';
  language: string;
  code: string;
  sent_at: string;
  expires_at: string;
}

export interface SimBusinessProfilesTable {
  phone_number_id: string;
  about: string;
  address: string;
  description: string;
  email: string;
  profile_picture_url: string;
  vertical: string;
  /** JSON array of URLs. */
  websites: string;
}

export interface SimFaultsTable {
  id: string;
  seq: number;
  operation: string;
  phone_number_id: string | null;
  e164: string | null;
  waba_id: string | null;
  code: number;
  subcode: number | null;
  message: string;
  user_title: string | null;
  user_message: string | null;
  http_status: number;
  transient: number;
  /** Calls left to fail; null = every call. */
  remaining: number | null;
  created_at: string;
}

/** Simulator time offset, shared by every process on the store. Text: PostgreSQL integer is 32-bit. */
export interface SimClockTable {
  name: string;
  offset_ms: string;
}

export interface MetaTable {
  key: string;
  value: string;
}
