/**
 * The simulator's own tables, in the service's database (its migrations are in ./migrations.ts).
 * Timestamps are ISO 8601 text in simulator time; booleans are 0/1 integers (portable to PostgreSQL).
 */
export interface SimulatorTables {
  sim_wabas: SimWabasTable;
  sim_phone_numbers: SimPhoneNumbersTable;
  sim_counters: SimCountersTable;
  sim_number_states: SimNumberStatesTable;
  sim_registration_calls: SimRegistrationCallsTable;
  sim_outbox: SimOutboxTable;
  sim_business_profiles: SimBusinessProfilesTable;
  sim_faults: SimFaultsTable;
  sim_clock: SimClockTable;
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

export interface SimNumberStatesTable {
  phone_number_id: string;
  verified_at: string | null;
  pin: string | null;
  pin_failures: number;
  last_pin_failure_at: string | null;
  registered_at: string | null;
  deregistered_at: string | null;
  register_blocked_until: string | null;
  /** Migration 007. */
  deregister_blocked_until: string | null;
  name_review_due_at: string;
  /** Operator override of the display-name review: APPROVED or DECLINED, with reason and explanation. */
  name_decision: string | null;
  name_rejection_reason: string | null;
  name_explanation: string | null;
}

export interface SimRegistrationCallsTable {
  phone_number_id: string;
  seq: number;
  kind: 'register' | 'deregister';
  at: string;
}

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
  /** When verify_code accepted it (a code verifies once); null until then. Migration 007. */
  used_at: string | null;
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

export interface SimClockTable {
  name: string;
  offset_ms: string;
}
