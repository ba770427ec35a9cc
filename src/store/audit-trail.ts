/**
 * The audit trail as its writers and readers see it: who did what to which resource, when, from where,
 * with what result (architecture.md, "Where each concern lives"). No field holds a secret: no
 * AccessKeySecret, signature, token or request body, only the named identifiers.
 */
export interface AuditEvent {
  /** A UUID version 7: ids of later events sort after earlier ones. */
  readonly id: string;
  /** ISO 8601 with milliseconds, UTC. */
  readonly at: string;
  readonly requestId: string;
  /** Undefined for an AccessKeyId no account holds. */
  readonly accountId?: string;
  /** `root`, `ram:<user name>`, `operator`, `cli`, or `unknown`. */
  readonly identity: string;
  readonly accessKeyId?: string;
  /** A wire Action (`AddChatappPhoneNumber`), or an operator verb (`account create`, `POST /_admin/faults`). */
  readonly action: string;
  readonly custSpaceId?: string;
  /** E.164 digits, country code first. */
  readonly phoneNumber?: string;
  /** `OK` or the catalogued error code. */
  readonly code: string;
  readonly sourceIp: string;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

/** A listing's filters; every one is optional. Newest first. */
export interface AuditQuery {
  readonly accountId?: string;
  readonly action?: string;
  readonly code?: string;
  /** Inclusive ISO 8601 bounds on `at`. */
  readonly since?: string;
  readonly until?: string;
  readonly limit: number;
  /** Continue after this position (the `nextCursor` of the previous page). */
  readonly after?: { readonly at: string; readonly id: string };
}

export interface AuditPage {
  readonly events: AuditEvent[];
  /** Where the next page starts; absent on the last page. */
  readonly next?: { readonly at: string; readonly id: string };
}

export interface AuditTrail {
  record(event: NewAuditEvent): Promise<void>;
  list(query: AuditQuery): Promise<AuditPage>;
  /** Deletes up to `batch` events older than `before` (ISO 8601), oldest first; returns how many. */
  prune(before: string, batch: number): Promise<number>;
}
