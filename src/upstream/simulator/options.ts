const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How the simulator behaves; every default is Meta's documented value or, where Meta is silent, says so. */
export interface SimulatorOptions {
  /** Seed of the deterministic IDs and verification codes. */
  readonly seed: string;
  /** Lifetime of a code sent by request_code: "typically 10 minutes" (whatsapp-upstream.md §1.5). */
  readonly codeTtlMs: number;
  /**
   * How long a VERIFIED status lasts before it lapses to EXPIRED: 14 days (whatsapp-upstream.md §1.5,
   * Alibaba's migration doc).
   */
  readonly verificationTtlMs: number;
  /**
   * Simulator time from create to the display-name decision (whatsapp-upstream.md §1.7); short so the happy
   * path stays fast.
   */
  readonly nameReviewDelayMs: number;
  /**
   * Whether register may run while the name is still PENDING_REVIEW. Meta answers such an early register with
   * 100/2388001 "Cannot Create Certificate" (whatsapp-upstream.md §1.2, chatwoot#12556), so the default is
   * no.
   */
  readonly allowRegisterDuringNameReview: boolean;
  /**
   * Registered (CONNECTED) numbers per WABA: Meta starts portfolios at 2, raisable to 20
   * (whatsapp-upstream.md §1.8).
   */
  readonly maxRegisteredPerWaba: number;
  /**
   * register requests per number in the moving window before 133016, and as many deregister requests: the two
   * have separate budgets, "10 registration and 10 deregistration requests" (whatsapp-upstream.md §1.6, §3.4).
   */
  readonly registerLimit: number;
  /**
   * The moving window of registerLimit and the block after 133016: 72 hours (whatsapp-upstream.md §1.6).
   */
  readonly registerWindowMs: number;
  /**
   * Consecutive wrong PINs before 133008. Meta publishes no number (whatsapp-upstream.md §1.10); 5 is this
   * simulator's choice.
   */
  readonly pinMaxGuesses: number;
  /** How long 133008 lasts after the last wrong PIN. Meta publishes no number; 1 hour here. */
  readonly pinLockoutMs: number;
  /**
   * A wrong PIN sooner than this after the previous wrong PIN -> 133009 (whatsapp-upstream.md §1.10); 0 turns
   * it off (default).
   */
  readonly pinMinIntervalMs: number;
}

export type SimulatorOptionsInput = Partial<SimulatorOptions> & { readonly seed: string };

export const DEFAULT_SIMULATOR_OPTIONS: Omit<SimulatorOptions, 'seed'> = {
  codeTtlMs: 10 * MINUTE,
  verificationTtlMs: 14 * DAY,
  nameReviewDelayMs: 5_000,
  allowRegisterDuringNameReview: false,
  maxRegisteredPerWaba: 2,
  registerLimit: 10,
  registerWindowMs: 72 * HOUR,
  pinMaxGuesses: 5,
  pinLockoutMs: HOUR,
  pinMinIntervalMs: 0,
};

/** Full options from a seed or a partial object; refuses values that would make the rules meaningless. */
export function resolveOptions(input: string | SimulatorOptionsInput): SimulatorOptions {
  const given = typeof input === 'string' ? { seed: input } : input;
  const options: SimulatorOptions = {
    ...DEFAULT_SIMULATOR_OPTIONS,
    ...stripUndefined(given),
    seed: given.seed,
  };
  for (const key of Object.keys(DEFAULT_SIMULATOR_OPTIONS) as Array<keyof typeof DEFAULT_SIMULATOR_OPTIONS>) {
    const value = options[key];
    if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) {
      throw new RangeError(`simulator option ${key} must be a finite number >= 0, got ${value}`);
    }
  }
  if (options.seed === '') throw new RangeError('simulator option seed must not be empty');
  return options;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * What IsvGetAppId answers with the simulator when CAMS_META_APP_ID / CAMS_META_CONFIG_ID are unset: the
 * simulator's own IDs, marked as such so nobody mistakes them for a Meta app (Meta's are digits only).
 */
export const SIMULATOR_EMBEDDED_SIGNUP = {
  appId: 'sim-app-1000000000000001',
  configId: 'sim-config-2000000000000002',
} as const;
