import type { Kysely } from 'kysely';
import type { SimulatorTables, SimFaultsTable } from './tables.js';
import { UpstreamError } from '../../errors/index.js';
import { GRAPH_ERRORS, httpStatusFor, type GraphErrorSpec } from './errors.js';

/** Simulated Graph calls a fault can target; '*' matches them all. */
export const FAULT_OPERATIONS = [
  'createPhoneNumber',
  'listPhoneNumbers',
  'getPhoneNumber',
  'requestCode',
  'verifyCode',
  'register',
  'deregister',
  'getBusinessProfile',
  'updateBusinessProfile',
  'getWaba',
  '*',
] as const;
export type FaultOperation = (typeof FAULT_OPERATIONS)[number];

/** Which calls a fault applies to; an absent field matches anything. */
export interface FaultScope {
  phoneNumberId?: string;
  e164?: string;
  wabaId?: string;
}

export interface FaultError {
  code: number;
  subcode?: number;
  message: string;
  userTitle?: string;
  userMessage?: string;
  /** Defaults to Meta's status for the code (whatsapp-upstream.md §1.10). */
  httpStatus?: number;
  transient?: boolean;
}

export interface FaultSpec {
  operation: FaultOperation;
  scope?: FaultScope;
  error: FaultError;
  /** How many matching calls fail, or every one. */
  times: number | 'always';
}

export interface Fault {
  id: string;
  operation: FaultOperation;
  scope: FaultScope;
  error: Required<Pick<FaultError, 'code' | 'message' | 'httpStatus' | 'transient'>> &
    Pick<FaultError, 'subcode' | 'userTitle' | 'userMessage'>;
  /** Matching calls still to fail, or 'always'. */
  remaining: number | 'always';
  createdAt: string;
}

const preset = (spec: GraphErrorSpec): FaultError => ({ ...spec });

/**
 * Named faults for the documented and observed codes (whatsapp-upstream.md §1.10), keyed by code (or
 * code/subcode), so an operator CLI can say `--fault 133005`. Each is a FaultError to use as FaultSpec.error.
 */
export const FAULT_PRESETS: Readonly<Record<string, FaultError>> = {
  '2': preset(GRAPH_ERRORS.serviceUnavailable),
  '4': preset(GRAPH_ERRORS.appRateLimit),
  '190': preset(GRAPH_ERRORS.tokenExpired),
  '80007': preset(GRAPH_ERRORS.wabaRateLimit),
  '80008': preset(GRAPH_ERRORS.tooManyCalls),
  '131000': preset(GRAPH_ERRORS.somethingWentWrong),
  '131031': preset(GRAPH_ERRORS.accountLocked),
  '133000': preset(GRAPH_ERRORS.incompleteDeregistration),
  '133004': preset(GRAPH_ERRORS.registrationUnavailable),
  '133005': preset(GRAPH_ERRORS.pinMismatch),
  '133006': preset(GRAPH_ERRORS.reverificationNeeded),
  '133008': preset(GRAPH_ERRORS.pinTooManyGuesses),
  '133009': preset(GRAPH_ERRORS.pinGuessedTooFast),
  '133010': preset(GRAPH_ERRORS.notRegistered),
  '133015': preset(GRAPH_ERRORS.recentlyDeleted),
  '133016': preset(GRAPH_ERRORS.registerRateLimit),
  '136024': preset(GRAPH_ERRORS.requestCodeError),
  '136025': preset(GRAPH_ERRORS.verifyCodeError),
  '200000': preset(GRAPH_ERRORS.cannotAddNumber),
  '100/2388001': preset(GRAPH_ERRORS.cannotCreateCertificate),
  '100/2388004': preset(GRAPH_ERRORS.requestCodeTooSoon),
  '200/1349175': preset(GRAPH_ERRORS.phoneNumberLimit),
  // A number still in use on the WhatsApp app reuses 2388001 with another text (whatsapp-upstream.md §1.8).
  'on-consumer-app': {
    ...GRAPH_ERRORS.cannotCreateCertificate,
    userMessage: 'This number is registered to an existing WhatsApp account. Delete that account first.',
  },
};

/** Refuses a fault that could never fire or would fire wrongly, naming the field. */
export function checkFaultSpec(spec: FaultSpec): void {
  if (!(FAULT_OPERATIONS as readonly string[]).includes(spec.operation)) {
    throw new RangeError(
      `fault operation must be one of ${FAULT_OPERATIONS.join(', ')}, got "${spec.operation}"`,
    );
  }
  if (spec.times !== 'always' && (!Number.isInteger(spec.times) || spec.times < 1)) {
    throw new RangeError(`fault times must be a positive integer or "always", got ${String(spec.times)}`);
  }
  if (!Number.isInteger(spec.error.code) || spec.error.code < 0) {
    throw new RangeError(`fault error code must be a non-negative integer, got ${String(spec.error.code)}`);
  }
  if (spec.error.message.trim() === '') throw new RangeError('fault error message must not be empty');
}

/** Whether a fault's scope covers a call on the given objects (pure). */
export function scopeMatches(scope: FaultScope, call: FaultScope): boolean {
  return (
    (scope.phoneNumberId === undefined || scope.phoneNumberId === call.phoneNumberId) &&
    (scope.e164 === undefined || scope.e164 === call.e164) &&
    (scope.wabaId === undefined || scope.wabaId === call.wabaId)
  );
}

export function toFault(r: SimFaultsTable): Fault {
  return {
    id: r.id,
    operation: r.operation as FaultOperation,
    scope: {
      ...(r.phone_number_id === null ? {} : { phoneNumberId: r.phone_number_id }),
      ...(r.e164 === null ? {} : { e164: r.e164 }),
      ...(r.waba_id === null ? {} : { wabaId: r.waba_id }),
    },
    error: {
      code: r.code,
      message: r.message,
      httpStatus: r.http_status,
      transient: r.transient === 1,
      ...(r.subcode === null ? {} : { subcode: r.subcode }),
      ...(r.user_title === null ? {} : { userTitle: r.user_title }),
      ...(r.user_message === null ? {} : { userMessage: r.user_message }),
    },
    remaining: r.remaining ?? 'always',
    createdAt: r.created_at,
  };
}

export function faultRow(id: string, seq: number, spec: FaultSpec, createdAt: string): SimFaultsTable {
  const scope = spec.scope ?? {};
  const e = spec.error;
  return {
    id,
    seq,
    operation: spec.operation,
    phone_number_id: scope.phoneNumberId ?? null,
    e164: scope.e164 ?? null,
    waba_id: scope.wabaId ?? null,
    code: e.code,
    subcode: e.subcode ?? null,
    message: e.message,
    user_title: e.userTitle ?? null,
    user_message: e.userMessage ?? null,
    http_status: e.httpStatus ?? httpStatusFor(e.code),
    transient: e.transient === true ? 1 : 0,
    remaining: spec.times === 'always' ? null : spec.times,
    created_at: createdAt,
  };
}

/**
 * Consumes the oldest fault matching the call, if any, and returns its error. A counted fault is used up
 * when its count reaches zero; an 'always' fault stays until cleared.
 */
export async function takeFault(
  db: Kysely<SimulatorTables>,
  operation: Exclude<FaultOperation, '*'>,
  call: FaultScope,
): Promise<UpstreamError | undefined> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('sim_faults')
      .selectAll()
      .where('operation', 'in', [operation, '*'])
      .orderBy('seq')
      .execute();
    const hit = rows.map(toFault).find((f) => scopeMatches(f.scope, call));
    if (hit === undefined) return undefined;
    if (hit.remaining === 1) await trx.deleteFrom('sim_faults').where('id', '=', hit.id).execute();
    else if (hit.remaining !== 'always') {
      await trx
        .updateTable('sim_faults')
        .set({ remaining: hit.remaining - 1 })
        .where('id', '=', hit.id)
        .execute();
    }
    return new UpstreamError({ ...hit.error });
  });
}
