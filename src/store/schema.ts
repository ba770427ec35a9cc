/**
 * The store's own tables (accounts, RAM, customer spaces, phone numbers). The wings that keep tables in
 * the same database declare theirs beside their code: the simulator (upstream/simulator/tables.ts) and
 * the webhook outbox (webhooks/tables.ts). Timestamps are ISO 8601 strings; booleans are 0/1 integers
 * (portable to PostgreSQL).
 */
export interface Database {
  accounts: AccountsTable;
  ram_users: RamUsersTable;
  access_keys: AccessKeysTable;
  custom_policies: CustomPoliciesTable;
  custom_policy_versions: CustomPolicyVersionsTable;
  policy_attachments: PolicyAttachmentsTable;
  ram_roles: RamRolesTable;
  role_policy_attachments: RolePolicyAttachmentsTable;
  cust_spaces: CustSpacesTable;
  phone_numbers: PhoneNumbersTable;
  meta: MetaTable;
  audit_events: AuditEventsTable;
  request_nonces: RequestNoncesTable;
  console_sessions: ConsoleSessionsTable;
  sts_sessions: StsSessionsTable;
}

/** 015-console-sessions: the console's sessions, keyed by the SHA-256 of the cookie's id. */
export interface ConsoleSessionsTable {
  key: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
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
  /** The RAM API's user fields (012-ram-policy-versions); empty when never set. */
  comments: string;
  email: string;
  mobile_phone: string;
  /** Null until the user is first changed. */
  updated_at: string | null;
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
  /** The default version's document (kept equal to it, so evaluation reads one row). */
  document: string;
  created_at: string;
  /** 012-ram-policy-versions: the default version's id (`v1`, ...) and the last change. */
  default_version: string;
  updated_at: string | null;
}

/** Every version of a custom policy (012-ram-policy-versions), v1 included. */
export interface CustomPolicyVersionsTable {
  account_id: string;
  policy_name: string;
  version_id: string;
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

/** RAM roles (010-ram-roles). */
export interface RamRolesTable {
  id: string;
  account_id: string;
  /** As created; `name_key` is its lower case, unique in the account. */
  name: string;
  name_key: string;
  description: string;
  /** The AssumeRolePolicyDocument, as given (validated on every write). */
  trust_policy: string;
  max_session_duration: number;
  created_at: string;
  updated_at: string;
}

export interface RolePolicyAttachmentsTable {
  account_id: string;
  role_id: string;
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
  /** Meta's rejection_reason while name_status is Rejected (009-name-rejection-reason); null or empty: none. */
  name_rejection_reason: string | null;
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

/** Lifecycle state of a simulated number (upstream/simulator/lifecycle.ts); timestamps in simulator time. */
/** register/deregister requests, for the 10-per-72-hours window. */
/** Codes "sent" by request_code, readable by the operator. */
/** Simulator time offset, shared by every process on the store. Text: PostgreSQL integer is 32-bit. */
export interface MetaTable {
  key: string;
  value: string;
}

/** The audit trail (007-audit): who did what to which resource, with what result; never a secret. */
export interface AuditEventsTable {
  /** A UUID version 7 (time-ordered). */
  id: string;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  request_id: string;
  account_id: string | null;
  /** `root`, `ram:<user name>`, `operator`, `cli`, or `unknown` (an AccessKeyId no account holds). */
  identity: string;
  access_key_id: string | null;
  action: string;
  cust_space_id: string | null;
  /** E.164 digits, country code first. */
  phone_number: string | null;
  code: string;
  source_ip: string;
}

/** A signature nonce of a request that changes state, kept until its request's timestamp check fails. */
export interface RequestNoncesTable {
  access_key_id: string;
  nonce: string;
  /** Milliseconds since the epoch: the last instant its request passes the timestamp check. */
  expires_at: number;
}

/** Temporary credentials issued by STS AssumeRole (011-sts-sessions). */
export interface StsSessionsTable {
  access_key_id: string;
  account_id: string;
  role_id: string;
  role_name: string;
  role_arn: string;
  session_name: string;
  secret_sealed: string;
  /** Lower-case hex SHA-256 of the SecurityToken; the token itself is never stored. */
  token_hash: string;
  policy: string | null;
  created_at: string;
  expires_at: string;
}
