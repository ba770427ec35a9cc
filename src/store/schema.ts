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
  meta: MetaTable;
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

export interface MetaTable {
  key: string;
  value: string;
}
