import { AdminError } from '../errors/index.js';
import {
  FAULT_OPERATIONS,
  FAULT_PRESETS,
  type Fault,
  type FaultError,
  type FaultOperation,
  type OutboxMessage,
  type SimulatorControls,
} from '../upstream/simulator/index.js';
import type { AuditTrail, NewAuditEvent } from '../store/audit-trail.js';
import type { PhoneNumberRecord } from '../store/records.js';
import type { WebhookEventRecord } from '../webhooks/index.js';
import { auditListing, auditQuery, type AuditFilters, type AuditListing } from './audit-query.js';

/** A fault as an operator describes it (CLI flags or the admin endpoint's JSON). */
export interface FaultRequest {
  operation: string;
  /** A number, country code first (8613800138000). */
  phoneNumber?: string;
  /** A customer space: the fault applies to its WABA. */
  custSpaceId?: string;
  /** A preset by Meta code ("133005"), or an explicit code with an optional subcode and message. */
  preset?: string;
  code?: number;
  subcode?: number;
  message?: string;
  /** How many matching calls fail; "always" for every one. Default 1. */
  times?: number | 'always';
}

/** A number as the operator sees it: its state, and why its display name was declined; no secret. */
export interface OperatorNumber {
  phoneNumber: string;
  verifiedName: string;
  status: string;
  codeVerificationStatus: string;
  nameStatus: string;
  /** Meta's rejection_reason while nameStatus is Rejected, '' otherwise (cams-api.md §1.3). */
  nameRejectionReason: string;
  newNameStatus: string;
  qualityRating: string;
  messagingLimitTier: string;
  updatedAt: string;
}

/**
 * What the operator may do, and nothing more: drive the simulator, look up a space's WABA, check that
 * an account exists, read webhook events and signing secrets. The composition root (main.ts) hands
 * these over; the operator never sees the whole application.
 */
export interface OperatorDeps {
  readonly simulator: SimulatorControls;
  /** The WABA of a customer space, whichever account owns it; undefined when there is no such space. */
  wabaOfSpace(custSpaceId: string): Promise<string | undefined>;
  /** The numbers of a customer space as the service stores them; undefined when there is no such space. */
  numbersOfSpace(custSpaceId: string): Promise<PhoneNumberRecord[] | undefined>;
  /** Throws AdminError when the account does not exist. */
  requireAccount(accountId: string): Promise<void>;
  readonly webhooks: {
    listEvents(accountId: string): Promise<WebhookEventRecord[]>;
    signingSecret(accountId: string): Promise<string>;
    rotateSigningSecret(accountId: string): Promise<string>;
  };
  /** The audit trail: the operator reads it, and its own writes (API and CLI) are recorded in it. */
  readonly audit: AuditTrail;
  readonly now: () => number;
}

/**
 * The operator's controls of the embedded simulator and webhooks, shared by the `cams sim` /
 * `cams webhook` verbs and the /_admin/ endpoints.
 */
export class Operator {
  readonly #d: OperatorDeps;
  constructor(deps: OperatorDeps) {
    this.#d = deps;
  }

  outbox(phoneNumber?: string): Promise<OutboxMessage[]> {
    return this.#d.simulator.listOutbox(phoneNumber ? { e164: phoneNumber.replace(/^\+/, '') } : {});
  }

  async addFault(req: FaultRequest): Promise<Fault> {
    if (!(FAULT_OPERATIONS as readonly string[]).includes(req.operation)) {
      throw new AdminError(`operation must be one of ${FAULT_OPERATIONS.join(', ')}, got "${req.operation}"`);
    }
    let error: FaultError | undefined;
    if (req.preset !== undefined) {
      error = FAULT_PRESETS[req.preset];
      if (error === undefined) {
        throw new AdminError(`no preset "${req.preset}"; presets: ${Object.keys(FAULT_PRESETS).join(', ')}`);
      }
    } else if (req.code !== undefined && Number.isInteger(req.code)) {
      error = { code: req.code, subcode: req.subcode, message: req.message ?? `Injected error ${req.code}` };
    } else {
      throw new AdminError('give a preset (a Meta code such as 133005) or an error code');
    }
    const times = req.times ?? 1;
    if (times !== 'always' && !(Number.isInteger(times) && times > 0)) {
      throw new AdminError(`times must be a positive integer or "always", got "${String(times)}"`);
    }
    let wabaId: string | undefined;
    if (req.custSpaceId !== undefined) {
      wabaId = await this.#d.wabaOfSpace(req.custSpaceId);
      if (wabaId === undefined) throw new AdminError(`no customer space ${req.custSpaceId}`);
    }
    return this.#d.simulator.injectFault({
      operation: req.operation as FaultOperation,
      scope: {
        ...(req.phoneNumber !== undefined ? { e164: req.phoneNumber.replace(/^\+/, '') } : {}),
        ...(wabaId !== undefined ? { wabaId } : {}),
      },
      error,
      times,
    });
  }

  /** What a fault may name: the upstream operations and the presets by Meta code (for forms). */
  faultChoices(): { operations: readonly string[]; presets: Array<{ code: string; message: string }> } {
    return {
      operations: FAULT_OPERATIONS,
      presets: Object.entries(FAULT_PRESETS).map(([code, error]) => ({ code, message: error.message })),
    };
  }

  listFaults(): Promise<Fault[]> {
    return this.#d.simulator.listFaults();
  }

  clearFaults(id?: string): Promise<number> {
    return this.#d.simulator.clearFaults(id);
  }

  /** Moves simulator time forward (code expiry, 72-hour windows, review delays); the gateway clock is untouched. */
  async advanceClock(seconds: number): Promise<{ offsetMs: number }> {
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new AdminError(`seconds must be a positive number, got ${seconds}`);
    return { offsetMs: await this.#d.simulator.advanceClock(Math.round(seconds * 1000)) };
  }

  /**
   * A WABA in the simulator, as if Meta had one for a customer: ChatappBindWaba binds only WABAs the
   * upstream knows. With an ID, that ID (numeric, 5-20 digits); otherwise a generated one.
   */
  async createWaba(name: string, wabaId?: string): Promise<{ wabaId: string; name: string }> {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > 128)
      throw new AdminError(`name must be 1-128 characters, got "${name}"`);
    if (wabaId !== undefined && !/^\d{5,20}$/.test(wabaId))
      throw new AdminError(`WABA ID must be 5-20 digits, got "${wabaId}"`);
    return { wabaId: await this.#d.simulator.createWaba(trimmed, wabaId), name: trimmed };
  }

  /** A customer space's numbers (intents, which have no upstream number yet, left out). */
  async numbers(custSpaceId: string): Promise<OperatorNumber[]> {
    if (custSpaceId === '') throw new AdminError('give a customer space (custSpaceId)');
    const numbers = await this.#d.numbersOfSpace(custSpaceId);
    if (numbers === undefined) throw new AdminError(`no customer space ${custSpaceId}`);
    return numbers.map((n) => ({
      phoneNumber: n.e164,
      verifiedName: n.verifiedName,
      status: n.status,
      codeVerificationStatus: n.codeVerificationStatus,
      nameStatus: n.nameStatus,
      nameRejectionReason: n.nameStatus === 'Rejected' ? n.nameRejectionReason : '',
      newNameStatus: n.newNameStatus,
      qualityRating: n.qualityRating,
      messagingLimitTier: n.messagingLimitTier,
      updatedAt: n.updatedAt,
    }));
  }

  async clock(): Promise<{ offsetMs: number; now: string }> {
    return {
      offsetMs: await this.#d.simulator.clockOffset(),
      now: new Date(await this.#d.simulator.now()).toISOString(),
    };
  }

  async webhookEvents(accountId: string) {
    await this.#d.requireAccount(accountId);
    return this.#d.webhooks.listEvents(accountId);
  }

  /** Audit events, newest first, by the filters of `cams audit` and GET /_admin/audit. */
  async auditEvents(filters: AuditFilters): Promise<AuditListing> {
    return auditListing(await this.#d.audit.list(auditQuery(filters, this.#d.now())));
  }

  /** Records an operator's write (identity `operator` or `cli`); its time is now. */
  recordAudit(event: Omit<NewAuditEvent, 'at'>): Promise<void> {
    return this.#d.audit.record({ ...event, at: new Date(this.#d.now()).toISOString() });
  }

  async webhookSecret(accountId: string, rotate = false): Promise<string> {
    await this.#d.requireAccount(accountId);
    return rotate
      ? this.#d.webhooks.rotateSigningSecret(accountId)
      : this.#d.webhooks.signingSecret(accountId);
  }
}

/** Durations like 90, 90s, 15m, 72h, 14d, in seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(text.trim());
  if (!m) throw new AdminError(`duration must look like 90s, 15m, 72h or 14d, got "${text}"`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
