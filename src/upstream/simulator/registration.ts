import { type UpstreamError } from '../../errors/index.js';
import { GRAPH_ERRORS, graphError } from './errors.js';
import { nameStatus, verificationStatus, type NumberState } from './lifecycle.js';
import type { SimulatorOptions } from './options.js';

/** The outcome of a register/deregister request: the state to persist (failures change it too). */
export interface Decision {
  state: NumberState;
  /**
   * Whether the request spends budget in its window: requests refused before the registration was attempted
   * (the budget itself, the number not verified or not registered, the name in review, the WABA's cap, a PIN
   * lock still running) do not; a register that checked a PIN does, right or wrong.
   */
  counted: boolean;
  error?: UpstreamError;
}

/** A register or a deregister request: each kind has its own budget (whatsapp-upstream.md §1.6, §3.4). */
export type RequestKind = 'register' | 'deregister';

interface WindowContext {
  state: NumberState;
  /** Earlier counted requests of this number, both kinds. */
  calls: ReadonlyArray<{ kind: RequestKind; at: number }>;
  now: number;
  options: SimulatorOptions;
}

export interface RegisterContext extends WindowContext {
  pin: string;
  verifiedName: string;
  wabaId: string;
  /** CONNECTED numbers of the same WABA, this one excluded. */
  otherRegistered: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const BLOCK: Record<RequestKind, 'registerBlockedUntil' | 'deregisterBlockedUntil'> = {
  register: 'registerBlockedUntil',
  deregister: 'deregisterBlockedUntil',
};

/**
 * Meta: "10 requests per business number in a 72 hour moving window … error 133016 … prevented from being
 * registered for the next 72 hours" (whatsapp-upstream.md §1.6). Register and deregister requests have
 * separate budgets of that size ("10 registration and 10 deregistration requests",
 * whatsapp-upstream.md §3.4), so an integrator who alternates the two is not locked out after five of
 * each. Only requests that
 * reached the registration count (see `Decision.counted`); requests refused by the block itself do not, so
 * polling during the block does not extend it. The answer says when the block ends.
 */
function throttle(ctx: WindowContext, kind: RequestKind): Decision | undefined {
  const { state, now, options } = ctx;
  const hours = options.registerWindowMs / 3_600_000;
  const blocked = (until: number): UpstreamError =>
    graphError(GRAPH_ERRORS.registerRateLimit, {
      userMessage: `This number made ${options.registerLimit} ${kind} requests within ${hours} hours, the limit; ${kind} is possible again after ${iso(until)}.`,
    });
  const blockedUntil = state[BLOCK[kind]];
  if (blockedUntil !== undefined && now < blockedUntil) {
    return { state, counted: false, error: blocked(blockedUntil) };
  }
  const recent = ctx.calls.filter((c) => c.kind === kind && c.at > now - options.registerWindowMs).length;
  if (recent >= options.registerLimit) {
    const until = now + options.registerWindowMs;
    return { state: { ...state, [BLOCK[kind]]: until }, counted: false, error: blocked(until) };
  }
  return undefined;
}

/**
 * Two-step verification PIN check (whatsapp-upstream.md §1.6, §1.10: 133005 mismatch, 133008 too many, 133009
 * too fast).
 */
function checkPin(
  state: NumberState,
  pin: string,
  now: number,
  options: SimulatorOptions,
): Decision | undefined {
  if (state.pin === undefined) return undefined;
  let current = state;
  if (current.pinFailures >= options.pinMaxGuesses && current.lastPinFailureAt !== undefined) {
    const until = current.lastPinFailureAt + options.pinLockoutMs;
    if (now < until) {
      return {
        state: current,
        counted: false,
        error: graphError(GRAPH_ERRORS.pinTooManyGuesses, { userMessage: `Try again after ${iso(until)}.` }),
      };
    }
    current = { ...current, pinFailures: 0 };
  }
  if (pin === current.pin) return undefined;
  const last = current.lastPinFailureAt;
  if (options.pinMinIntervalMs > 0 && last !== undefined && now - last < options.pinMinIntervalMs) {
    return {
      state: current,
      counted: true,
      error: graphError(GRAPH_ERRORS.pinGuessedTooFast, {
        userMessage: `Wait until ${iso(last + options.pinMinIntervalMs)} before trying another PIN.`,
      }),
    };
  }
  const failures = current.pinFailures + 1;
  const next = { ...current, pinFailures: failures, lastPinFailureAt: now };
  if (failures >= options.pinMaxGuesses) {
    return {
      state: next,
      counted: true,
      error: graphError(GRAPH_ERRORS.pinTooManyGuesses, {
        userMessage: `${failures} wrong PINs in a row; try again after ${iso(now + options.pinLockoutMs)}.`,
      }),
    };
  }
  return {
    state: next,
    counted: true,
    error: graphError(GRAPH_ERRORS.pinMismatch, {
      userMessage: `The PIN does not match the two-step verification PIN of this number; ${options.pinMaxGuesses - failures} more wrong PINs lock it.`,
    }),
  };
}

/**
 * `POST /{id}/register` (whatsapp-upstream.md §1.2, §1.6), checked in this order: the register budget of the
 * 72-hour window (133016), a current verification (133006), the display-name review (100/2388001), the PIN
 * (133008/133009/133005), the WABA's registered-number cap (200/1349175), then success: CONNECTED on
 * CLOUD_API with the PIN set.
 */
export function decideRegister(ctx: RegisterContext): Decision {
  const { now, options } = ctx;
  const throttled = throttle(ctx, 'register');
  if (throttled !== undefined) return throttled;
  const state = ctx.state;
  // Refused before registering: does not spend budget.
  const fail = (error: UpstreamError): Decision => ({ state, counted: false, error });

  // "Only phone numbers with a VERIFIED status can be registered" (whatsapp-upstream.md §1.2).
  const verification = verificationStatus(state, now, options);
  if (verification === 'NOT_VERIFIED') {
    return fail(
      graphError(GRAPH_ERRORS.reverificationNeeded, {
        userMessage: 'The number has not been verified: call request_code and verify_code, then register.',
      }),
    );
  }
  if (verification === 'EXPIRED') {
    const expiredAt = iso((state.verifiedAt ?? now) + options.verificationTtlMs);
    return fail(
      graphError(GRAPH_ERRORS.reverificationNeeded, {
        userMessage: `The verification expired at ${expiredAt}: call request_code and verify_code again, then register.`,
      }),
    );
  }
  // Register before the display name is processed -> 2388001 (whatsapp-upstream.md §1.2, chatwoot#12556). A
  // DECLINED name does not block registration: Meta limits such a number instead (whatsapp-upstream.md §1.7
  // "Consequence of rejection").
  if (
    !options.allowRegisterDuringNameReview &&
    nameStatus(state, ctx.verifiedName, now).status === 'PENDING_REVIEW'
  ) {
    return fail(
      graphError(GRAPH_ERRORS.cannotCreateCertificate, {
        userMessage: `${GRAPH_ERRORS.cannotCreateCertificate.userMessage} The display name is in review until ${iso(state.nameReviewDueAt)}; register after that.`,
      }),
    );
  }
  const pinFailure = checkPin(state, ctx.pin, now, options);
  if (pinFailure !== undefined) return pinFailure;
  // The cap counts registered numbers (whatsapp-upstream.md §1.8); re-registering a CONNECTED number does not
  // add one.
  if (state.registeredAt === undefined && ctx.otherRegistered >= options.maxRegisteredPerWaba) {
    return fail(
      graphError(GRAPH_ERRORS.phoneNumberLimit, {
        userMessage: `WABA ${ctx.wabaId} already has ${ctx.otherRegistered} registered phone numbers, its limit is ${options.maxRegisteredPerWaba}: deregister one or have Meta raise the limit.`,
      }),
    );
  }
  return {
    counted: true,
    state: {
      ...state,
      pin: state.pin ?? ctx.pin,
      pinFailures: 0,
      lastPinFailureAt: undefined,
      registeredAt: state.registeredAt ?? now,
    },
  };
}

/**
 * `POST /{id}/deregister` (whatsapp-upstream.md §1.6): its own budget, in a window like register's; 133010
 * when the number is not registered, which spends nothing.
 */
export function decideDeregister(ctx: WindowContext & { phoneNumberId: string }): Decision {
  const throttled = throttle(ctx, 'deregister');
  if (throttled !== undefined) return throttled;
  if (ctx.state.registeredAt === undefined) {
    return {
      state: ctx.state,
      counted: false,
      error: graphError(GRAPH_ERRORS.notRegistered, {
        userMessage: `Phone number ${ctx.phoneNumberId} is not registered, so there is nothing to deregister.`,
      }),
    };
  }
  return {
    counted: true,
    // The PIN stays: "there is no endpoint to disable two-step verification" (whatsapp-upstream.md §1.6).
    state: { ...ctx.state, registeredAt: undefined, deregisteredAt: ctx.now },
  };
}
