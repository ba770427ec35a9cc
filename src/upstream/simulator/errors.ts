import { UpstreamError } from '../../errors/index.js';

/** One Graph error as data: what the simulator answers, and what fault presets replay. */
export interface GraphErrorSpec {
  readonly code: number;
  readonly subcode?: number;
  readonly message: string;
  readonly userTitle?: string;
  readonly userMessage?: string;
  readonly transient?: boolean;
}

/**
 * HTTP status of a Graph error code, from Meta's error-code table (whatsapp-upstream.md §1.10): 0/190 -> 401;
 * 10, 200-299, 368, 131031 -> 403; 2, 133004 -> 503; 3, 131000, 131045, 133000 -> 500; the rest 400.
 */
export function httpStatusFor(code: number): number {
  if (code === 0 || code === 190) return 401;
  if (code === 10 || (code >= 200 && code <= 299) || code === 368 || code === 131031) return 403;
  if (code === 2 || code === 133004) return 503;
  if (code === 3 || code === 131000 || code === 131045 || code === 133000) return 500;
  return 400;
}

/**
 * The catalogue of errors the simulator emits or replays (whatsapp-upstream.md §1.10). Messages follow Meta's
 * error-code page; 2388xxx and 1349175 are observed or spec-example codes, not documented contracts
 * (whatsapp-upstream.md §1.10, §1.3).
 */
export const GRAPH_ERRORS = {
  unknownObject: { code: 100, subcode: 33, message: 'Unsupported request. Object does not exist' },
  invalidParameter: { code: 100, message: 'Invalid parameter' },
  cannotCreateCertificate: {
    code: 100,
    subcode: 2388001,
    message: 'Cannot Create Certificate',
    userTitle: 'Cannot Create Certificate',
    userMessage: 'Your display name could not be processed. Please edit your display name and try again.',
  },
  requestCodeTooSoon: {
    code: 100,
    subcode: 2388004,
    message: 'Cannot send a code',
    userMessage: 'You have requested a code too many times; try again after a while.',
  },
  phoneNumberLimit: { code: 200, subcode: 1349175, message: 'Phone number limit exceeded' },
  cannotAddNumber: { code: 200000, message: 'Cannot add phone number to WhatsApp Business Account' },
  pinMismatch: { code: 133005, message: 'Two step verification PIN Mismatch' },
  reverificationNeeded: { code: 133006, message: 'Phone number re-verification needed' },
  pinTooManyGuesses: {
    code: 133008,
    message: 'Too many two step verification PIN guesses for this phone number',
  },
  pinGuessedTooFast: { code: 133009, message: 'Two step verification PIN was entered too quickly' },
  notRegistered: { code: 133010, message: 'Phone number Not Registered on the Whatsapp Business Platform' },
  recentlyDeleted: {
    code: 133015,
    message: 'The phone number you are attempting to register was recently deleted; wait 5 minutes',
  },
  registerRateLimit: { code: 133016, message: 'Account register deregister rate limit exceeded' },
  incompleteDeregistration: { code: 133000, message: 'Incomplete deregistration; deregister again' },
  registrationUnavailable: { code: 133004, message: 'Server Temporarily Unavailable', transient: true },
  requestCodeError: { code: 136024, message: 'Request code error' },
  verifyCodeError: { code: 136025, message: 'Verify code error' },
  serviceUnavailable: { code: 2, message: 'Service temporarily unavailable', transient: true },
  appRateLimit: { code: 4, message: 'Application request limit reached', transient: true },
  wabaRateLimit: { code: 80007, message: 'WhatsApp Business Account rate limit reached', transient: true },
  tooManyCalls: {
    code: 80008,
    message: 'There have been too many calls to this WhatsApp Business account',
    transient: true,
  },
  somethingWentWrong: { code: 131000, message: 'Something went wrong', transient: true },
  accountLocked: { code: 131031, message: 'Business Account locked' },
  tokenExpired: { code: 190, subcode: 463, message: 'Error validating access token: Session has expired' },
} as const satisfies Record<string, GraphErrorSpec>;

/** An UpstreamError from a catalogue entry, optionally with a more specific message or user message. */
export function graphError(
  spec: GraphErrorSpec,
  overrides: { message?: string; userMessage?: string } = {},
): UpstreamError {
  return new UpstreamError({
    code: spec.code,
    httpStatus: httpStatusFor(spec.code),
    message: overrides.message ?? spec.message,
    ...(spec.subcode === undefined ? {} : { subcode: spec.subcode }),
    ...(spec.userTitle === undefined ? {} : { userTitle: spec.userTitle }),
    ...((overrides.userMessage ?? spec.userMessage) === undefined
      ? {}
      : { userMessage: overrides.userMessage ?? spec.userMessage }),
    transient: spec.transient ?? false,
  });
}

/**
 * Meta's "Object with ID ... does not exist" (100/33, whatsapp-upstream.md §1.10; pain point
 * whatsapp-upstream.md §3.6).
 */
export function unknownObject(id: string, method: 'get' | 'post'): UpstreamError {
  return graphError(GRAPH_ERRORS.unknownObject, {
    message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  });
}

/** Code 100 naming the parameter and what was expected (architecture.md, "Conventions" 9). */
export function invalidParameter(message: string): UpstreamError {
  return graphError(GRAPH_ERRORS.invalidParameter, { message: `(#100) ${message}` });
}
