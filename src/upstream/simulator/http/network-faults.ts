import { GRAPH_ERRORS, type GraphErrorSpec } from '../errors.js';
import type { FaultOperation } from '../faults.js';

/** What the simulator answers instead of the real answer. */
export interface FaultResponse {
  status: number;
  headers?: Record<string, string>;
  /** A Meta error rendered in the envelope with this status (whatsapp-upstream.md §1.10)... */
  error?: GraphErrorSpec;
  /** ...or a raw body (a proxy's page, nothing at all). */
  body?: string;
}

/**
 * A network-level fault for client tests (whatsapp-upstream.md §1.13 "fault injection"): what the HTTP
 * layer does to a call, as opposed to the simulator's injected Graph errors (faults.ts), which decide
 * what Meta answers.
 */
export interface NetworkFaultSpec {
  /** The call it applies to, named like the simulator's faults; '*' for any. */
  operation: FaultOperation;
  /**
   * 'before' (default): the fault happens before the simulator sees the call; with a response or a
   * hangup the call is never carried out. 'after': the simulator carries the call out first, then the
   * answer is delayed, replaced or lost (a create that happened but whose answer never arrived).
   */
  phase?: 'before' | 'after';
  /** Hold the answer this long; longer than the client's timeout makes a timeout. */
  delayMs?: number;
  /** Answer this instead; 'hangup' closes the connection without an answer. */
  response?: FaultResponse | 'hangup';
  /** Matching calls it applies to (default 1). */
  times?: number;
}

interface Armed extends NetworkFaultSpec {
  id: number;
  remaining: number;
}

/** The operator hooks of the HTTP simulator, in memory: tests arm faults, calls consume them in order. */
export class NetworkFaults {
  #next = 1;
  #armed: Armed[] = [];
  /** Faults that fired, oldest first, for assertions. */
  readonly fired: Array<{ id: number; operation: string }> = [];

  add(spec: NetworkFaultSpec): number {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new RangeError(`times must be a positive integer, got ${times}`);
    const id = this.#next++;
    this.#armed.push({ ...spec, id, remaining: times });
    return id;
  }

  clear(): void {
    this.#armed = [];
  }

  pending(): number {
    return this.#armed.reduce((n, f) => n + f.remaining, 0);
  }

  /** Consumes the oldest fault for the operation, if any. */
  take(operation: Exclude<FaultOperation, '*'>): NetworkFaultSpec | undefined {
    const hit = this.#armed.find((f) => f.operation === operation || f.operation === '*');
    if (hit === undefined) return undefined;
    hit.remaining -= 1;
    if (hit.remaining === 0) this.#armed = this.#armed.filter((f) => f !== hit);
    this.fired.push({ id: hit.id, operation });
    return hit;
  }
}

/** Ready-made faults for the cases the Graph client must survive. */
export const NETWORK_FAULTS = {
  /** The answer comes after `ms` (the call itself runs at once, or late with phase 'before'). */
  slow: (operation: FaultOperation, ms: number, phase: 'before' | 'after' = 'before'): NetworkFaultSpec => ({
    operation,
    delayMs: ms,
    phase,
  }),
  /** Waits `ms`, then drops the connection; with phase 'before' the call never happened. */
  lost: (operation: FaultOperation, ms: number, phase: 'before' | 'after' = 'before'): NetworkFaultSpec => ({
    operation,
    delayMs: ms,
    phase,
    response: 'hangup',
  }),
  /** HTTP 500/503 with Meta's code 2 "Service temporarily unavailable" (whatsapp-upstream.md §1.10). */
  unavailable: (
    operation: FaultOperation,
    status: 500 | 502 | 503 = 503,
    phase: 'before' | 'after' = 'before',
  ): NetworkFaultSpec => ({ operation, phase, response: { status, error: GRAPH_ERRORS.serviceUnavailable } }),
  /** HTTP 429 with code 4, with or without Retry-After (seconds). */
  tooManyRequests: (operation: FaultOperation, retryAfterSeconds?: number): NetworkFaultSpec => ({
    operation,
    response: {
      status: 429,
      error: GRAPH_ERRORS.appRateLimit,
      ...(retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } }),
    },
  }),
  /**
   * 80008 "too many calls to this WhatsApp Business account" (HTTP 400, whatsapp-upstream.md §1.10), with
   * `x-business-use-case-usage` saying how many minutes until access returns (whatsapp-upstream.md §1.12), if
   * given.
   */
  wabaThrottled: (
    operation: FaultOperation,
    minutes?: number,
    businessId = '1000000000000001',
  ): NetworkFaultSpec => ({
    operation,
    response: {
      status: 400,
      error: GRAPH_ERRORS.tooManyCalls,
      ...(minutes === undefined
        ? {}
        : {
            headers: {
              'x-business-use-case-usage': JSON.stringify({
                [businessId]: [
                  {
                    type: 'whatsapp_business_management',
                    call_count: 100,
                    total_cputime: 1,
                    total_time: 1,
                    estimated_time_to_regain_access: minutes,
                  },
                ],
              }),
            },
          }),
    },
  }),
} as const;
