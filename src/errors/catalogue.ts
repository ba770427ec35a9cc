/**
 * The error catalogue: every error this service answers, as data (code, HTTP status, message).
 * Codes and messages are spelled exactly as Alibaba's gateway and the CAMS pages spell them
 * (cams-api.md §3.1, and §1.1 for the CAMS codes). docs/errors.md is generated from this table and a
 * test fails when the two drift apart.
 */
import { RAM_CATALOGUE } from './ram-catalogue.js';
import { STS_CATALOGUE } from './sts-catalogue.js';

export interface CatalogueEntry {
  readonly status: number;
  readonly message: string;
  /** Where the code comes from, for the docs. */
  readonly source: 'gateway' | 'cams' | 'ram' | 'sts' | 'service';
  readonly description: string;
}

export const CATALOGUE = {
  // --- CAMS business errors of every phone-number action page (all HTTP 400, cams-api.md §1.1) ---
  'Product.Unsubscript': {
    status: 400,
    message: 'You have not subscribed to the specified product.',
    source: 'cams',
    description: 'The account has no CAMS subscription (switch it on with `cams account subscribe`).',
  },
  'Ram.PermissionDeny': {
    status: 400,
    message: 'You are not authorized to perform the operation.',
    source: 'cams',
    description: 'RAM policies of the caller do not allow the action; AccessDeniedDetail says why.',
  },
  'System.LimitControl': {
    status: 400,
    message: 'The system is under flow control.',
    source: 'cams',
    description: "More calls of this action in one second than the action's QPS limit for the account.",
  },
  'Unknown.ResourceOwnerId': {
    status: 400,
    message: 'The resource does not belong to the current user.',
    source: 'cams',
    description:
      'The CustSpaceId does not exist or belongs to another account (the two are indistinguishable).',
  },
  // --- CAMS business errors of this service's phone-number handling ---
  'PhoneNumber.Exists': {
    status: 400,
    message: 'The phone number already exists in the WhatsApp Business Account of this space.',
    source: 'service',
    description: 'AddChatappPhoneNumber for a number the space already has; nothing was changed.',
  },
  'PhoneNumber.NotFound': {
    status: 400,
    message: 'The phone number does not exist in this customer space.',
    source: 'service',
    description:
      'The PhoneNumber (country code + number, e.g. 8613800138000) was never added to the CustSpaceId; add it with AddChatappPhoneNumber first.',
  },
  'PhoneNumber.AddRefused': {
    status: 400,
    message:
      'WhatsApp refused to add the phone number to the WhatsApp Business Account of this space: the number may already be on a WhatsApp Business Account (this one, added outside this service, or another) or in use on the WhatsApp app. Call ChatappSyncPhoneNumber to take over a number this WABA already has; otherwise remove the number from the other account or app first.',
    source: 'service',
    description:
      'Meta 200000 (Cannot add phone number to WhatsApp Business Account) on AddChatappPhoneNumber; nothing was added here.',
  },
  'PhoneNumber.VerifyCodeFailed': {
    status: 400,
    message:
      'The verification code is wrong or has expired: request a new code with GetChatappVerifyCode and submit it with ChatappVerifyAndRegister before it expires.',
    source: 'service',
    description: 'Meta 136025 (verify_code error).',
  },
  'PhoneNumber.RequestCodeFailed': {
    status: 400,
    message:
      'WhatsApp could not send a verification code to the number: wait a few minutes before calling GetChatappVerifyCode again, or ask for a voice call with Method=voice.',
    source: 'service',
    description: 'Meta 136024 (request_code error) or 100/2388004 (code requested too often).',
  },
  'PhoneNumber.NotVerified': {
    status: 400,
    message:
      'The phone number must be verified before it can be registered: call GetChatappVerifyCode, then ChatappVerifyAndRegister with the code received.',
    source: 'service',
    description: 'Meta 133006 (phone number needs re-verification).',
  },
  'PhoneNumber.PinMismatch': {
    status: 400,
    message:
      'The two-step verification PIN of the number was set outside this service: disable two-step verification for the number in WhatsApp Manager, then register again.',
    source: 'service',
    description: 'Meta 133005 (two-step verification PIN mismatch).',
  },
  'PhoneNumber.PinGuessLimit': {
    status: 400,
    message:
      'Too many two-step verification PIN attempts for this number: wait for the time WhatsApp gives before registering again, and do not retry sooner.',
    source: 'service',
    description: 'Meta 133008 (too many PIN guesses) or 133009 (PIN entered too quickly).',
  },
  'PhoneNumber.RegisterLimit': {
    status: 400,
    message:
      'The number was registered or deregistered too often (WhatsApp allows 10 such requests per number in a moving 72-hour window): stop retrying and wait 72 hours before registering or deregistering it again; every attempt during the lock-out counts against the window and prolongs it.',
    source: 'service',
    description: 'Meta 133016 (register/deregister rate limit exceeded).',
  },
  'PhoneNumber.NotRegistered': {
    status: 400,
    message:
      'The phone number is not registered with WhatsApp: register it with ChatappPhoneNumberRegister (or ChatappVerifyAndRegister if it is not verified yet), then try again.',
    source: 'service',
    description: 'Meta 133010 (not registered) or 131045 (incorrect certificate: a registration error).',
  },
  'PhoneNumber.RecentlyDeleted': {
    status: 400,
    message: 'The phone number was deleted from WhatsApp recently: wait 5 minutes, then try again.',
    source: 'service',
    description: 'Meta 133015 (recently deleted).',
  },
  'PhoneNumber.DeregistrationIncomplete': {
    status: 400,
    message:
      'A previous deregistration of the number did not complete: call ChatappPhoneNumberDeregister again, then register the number.',
    source: 'service',
    description: 'Meta 133000 (incomplete deregistration).',
  },
  'PhoneNumber.DisplayNameNotReady': {
    status: 400,
    message:
      'WhatsApp cannot register the number yet: its display name has not been processed, or the number is still in use on the WhatsApp app. Wait until QueryChatappPhoneNumbers shows the display name approved (or delete the WhatsApp app account on the number), then register again.',
    source: 'service',
    description: 'Meta 100/2388001 (Cannot Create Certificate).',
  },
  'PhoneNumber.DisplayNameRejected': {
    status: 400,
    message:
      "WhatsApp declined the display name: it does not match the business's verified name or breaks Meta's display-name rules. Choose a display name that follows those rules and matches the business, then try again.",
    source: 'service',
    description: 'Meta 100/2388135 (display name declined).',
  },
  'PhoneNumber.LimitExceeded': {
    status: 400,
    message:
      'The WhatsApp Business Account has reached its limit of registered phone numbers: deregister a number, or have the business raise its limit with Meta (2 by default, up to 20 after business verification).',
    source: 'service',
    description: "Meta 200/1349175 (phone number limit exceeded; the code of the spec's example).",
  },
  'Waba.Locked': {
    status: 403,
    message:
      'Meta has locked the WhatsApp Business Account of this space (for a policy violation, or because data about the business could not be verified): the business must review the account and appeal in Meta Business Manager (Account Quality); retrying does not help until Meta unlocks it.',
    source: 'service',
    description: 'Meta 131031 (Business Account locked).',
  },
  'Waba.PolicyBlocked': {
    status: 403,
    message:
      "Meta has blocked the WhatsApp Business Account or the number of this space for violating Meta's policies: the business can see why and appeal in Meta Business Manager (Account Quality); retrying does not help until the block is lifted.",
    source: 'service',
    description: 'Meta 368 (temporarily blocked for policy violations).',
  },
  'Upstream.TokenInvalid': {
    status: 502,
    message:
      "This service's WhatsApp access token is invalid or expired: the operator of this service must configure a valid system-user token; retrying does not help until then.",
    source: 'service',
    description: 'Meta 190 / 0 / 102 / 104: the token (CAMS_GRAPH_ACCESS_TOKEN) was refused.',
  },
  'Upstream.PermissionDenied': {
    status: 502,
    message:
      "This service's WhatsApp access token lacks a permission: the operator of this service must grant whatsapp_business_management to the token's app and system user; retrying does not help until then.",
    source: 'service',
    description: 'Meta 3 / 10 / 200-299 (permission denied).',
  },
  'Upstream.ObjectNotAccessible': {
    status: 502,
    message:
      "This service's WhatsApp access token cannot see the WhatsApp Business Account or phone number of this space (it was deleted at Meta, or the token has no access to it): ask the operator of this service to grant the token's system user access to the WABA in Meta Business Manager.",
    source: 'service',
    description:
      'Meta 100/33 (object does not exist, cannot be loaded due to missing permissions); the IDs come from this service, not from the caller.',
  },
  'Upstream.RateLimited': {
    status: 503,
    message:
      "WhatsApp's rate limit for this service's Meta app or the space's WhatsApp Business Account was reached: wait and retry later (Meta allows 200 management calls per hour per WABA, 5,000 once it has a registered number).",
    source: 'service',
    description:
      'Meta 4 / 17 / 80007 / 80008 (rate limits); the message adds the wait Meta asks for when it says.',
  },
  'Upstream.Unavailable': {
    status: 503,
    message: 'The WhatsApp API is temporarily unavailable: retry in a few minutes.',
    source: 'service',
    description:
      'Meta 1 / 2 / 131000 / 133004, any error Meta marks transient, or WhatsApp unreachable (timeout, network error).',
  },
  'Upstream.Timeout': {
    status: 503,
    message:
      'WhatsApp did not answer within the time this service gives one request (CAMS_UPSTREAM_DEADLINE_MS). The operation may still complete: check with QueryChatappPhoneNumbers or ChatappSyncPhoneNumber before you retry (a retried AddChatappPhoneNumber never adds a number twice).',
    source: 'service',
    description:
      "The request's upstream budget ran out while Meta's Graph API had not answered (README \"Running against Meta\"): answered before the official SDKs' own 3-second timeout.",
  },
  'Upstream.Error': {
    status: 502,
    message:
      'WhatsApp refused the request with an error this service does not know: retrying is unlikely to help; give the operator of this service the WhatsApp error below.',
    source: 'service',
    description: 'Meta (or the simulator) answered an error code docs/meta-errors.md does not list.',
  },
  'EmbeddedSignup.NotConfigured': {
    status: 400,
    message: 'This service has no Meta app configured for Embedded Signup.',
    source: 'service',
    description:
      "IsvGetAppId with Meta's Graph API as upstream while `CAMS_META_APP_ID` and `CAMS_META_CONFIG_ID` are unset; the operator sets both (docs/configuration.md).",
  },
  'Action.NotImplemented': {
    status: 501,
    message: 'The action is part of CAMS 2020-06-06 but is not implemented by this service.',
    source: 'service',
    description:
      'A CAMS action outside the phone-number lifecycle (messages, templates, flows, ...); see docs/coverage.md.',
  },
  // --- POP gateway errors (cams-api.md §3.1) ---
  MissingParameter: {
    status: 400,
    message: 'A mandatory parameter is missing.',
    source: 'gateway',
    description: 'Answered as `Missing{Name}` with the message `{Name} is mandatory for this action.`',
  },
  InvalidParameter: {
    status: 400,
    message: 'Specified parameter is not valid.',
    source: 'gateway',
    description: 'The message names the parameter and what was expected.',
  },
  'InvalidParameter.Format': {
    status: 400,
    message: 'Specified parameter format is not valid.',
    source: 'gateway',
    description: 'V1 `Format` other than JSON or XML.',
  },
  SignatureDoesNotMatch: {
    status: 400,
    message: 'Specified signature is not matched with our calculation.',
    source: 'gateway',
    description:
      'The signature does not verify with the secret of the access key. With signature V3 the answer also carries `SignatureDetail`: the `CanonicalRequest` and `StringToSign` the server computed (no secret is in either), the message is unchanged.',
  },
  IncompleteSignature: {
    status: 400,
    message: 'The request signature does not conform to Aliyun standards.',
    source: 'gateway',
    description: 'Authorization header or V1 signature parameters missing or malformed.',
  },
  InvalidSignatureMethod: {
    status: 400,
    message: 'Specified signature method is not valid.',
    source: 'gateway',
    description: 'V1 SignatureMethod other than HMAC-SHA1, or SignatureVersion other than 1.0.',
  },
  'InvalidTimeStamp.Format': {
    status: 400,
    message: 'Specified time stamp or date value is not well formatted.',
    source: 'gateway',
    description: 'Timestamp / x-acs-date is not `yyyy-MM-ddTHH:mm:ssZ`.',
  },
  'InvalidTimeStamp.Expired': {
    status: 400,
    message: 'Specified time stamp or date value is expired.',
    source: 'gateway',
    description: 'The request time differs from the server time by more than 15 minutes.',
  },
  SignatureNonceUsed: {
    status: 400,
    message: 'Specified signature nonce was used already.',
    source: 'gateway',
    description: 'The nonce was already used with this access key within the replay window.',
  },
  'InvalidAccessKeyId.NotFound': {
    status: 404,
    message: 'Specified access key is not found.',
    source: 'gateway',
    description: 'No such AccessKeyId.',
  },
  'InvalidAccessKeyId.Inactive': {
    status: 400,
    message: 'Specified access key is disabled.',
    source: 'gateway',
    description: 'The access key exists but is disabled.',
  },
  // Temporary credentials (cams-api.md §3.1): codes of Alibaba's common gateway errors.
  MissingSecurityToken: {
    status: 400,
    message: 'SecurityToken is mandatory for this action.',
    source: 'gateway',
    description:
      'A temporary AccessKeyId (`STS.…`) without its SecurityToken (V3 `x-acs-security-token`, V1 `SecurityToken`).',
  },
  'InvalidSecurityToken.Malformed': {
    status: 400,
    message: 'Specified SecurityToken is malformed.',
    source: 'gateway',
    description: 'The SecurityToken is not one this service issued.',
  },
  'InvalidSecurityToken.MismatchWithAccessKey': {
    status: 400,
    message: 'Specified SecurityToken mismatch with the AccessKey.',
    source: 'gateway',
    description: 'The SecurityToken belongs to another temporary AccessKeyId.',
  },
  'InvalidSecurityToken.Expired': {
    status: 400,
    message: 'Specified SecurityToken is expired.',
    source: 'gateway',
    description: 'The temporary credential expired (its Expiration has passed); call AssumeRole again.',
  },
  'InvalidApi.NotFound': {
    status: 404,
    message: 'Specified api is not found, please check your url and method.',
    source: 'gateway',
    description: 'Unknown Action, or a path other than `/`.',
  },
  InvalidVersion: {
    status: 400,
    message: 'Specified parameter Version is not valid.',
    source: 'gateway',
    description:
      'A Version no product here speaks (CAMS 2020-06-06, RAM 2015-05-01, STS 2015-04-01), or an Action of another Version.',
  },
  UnsupportedHTTPMethod: {
    status: 400,
    message: 'This http method not supported.',
    source: 'gateway',
    description: 'Only GET and POST are served.',
  },
  'RequestEntity.TooLarge': {
    status: 413,
    message: 'The request body is larger than this service accepts.',
    source: 'service',
    description: 'Bodies are limited (see `CAMS_MAX_BODY_BYTES`).',
  },
  'RequestHeader.TooLarge': {
    status: 431,
    message: 'The request head is larger than this service accepts.',
    source: 'service',
    description:
      'The request line and headers together are limited (see `CAMS_MAX_HEADER_BYTES`); the connection is closed.',
  },
  'Request.Malformed': {
    status: 400,
    message: 'The request is not well-formed HTTP/1.1.',
    source: 'service',
    description:
      'The request head could not be parsed (a NUL or other forbidden byte, an unknown method, a bad header line or Content-Length); the connection is closed.',
  },
  'Request.Timeout': {
    status: 408,
    message: 'The request was not received in time.',
    source: 'service',
    description:
      'The head did not arrive within `CAMS_HEADERS_TIMEOUT_MS`, or the whole request within `CAMS_REQUEST_TIMEOUT_MS`; the connection is closed.',
  },
  Throttling: {
    status: 400,
    message: 'Request was denied due to request throttling.',
    source: 'gateway',
    description:
      'The source address has more requests waiting than `CAMS_MAX_QUEUED_PER_SOURCE` (one flood cannot starve other clients); answered before authentication, and the connection is closed.',
  },
  InternalError: {
    status: 500,
    message: 'The request processing has failed due to some unknown error, exception or failure.',
    source: 'gateway',
    description: 'A bug: logged once with its RequestId.',
  },
  ServiceUnavailable: {
    status: 503,
    message: 'The request has failed due to a temporary failure of the server.',
    source: 'gateway',
    description: 'A dependency (database, upstream) is unreachable; retry later.',
  },
  ...RAM_CATALOGUE,
  ...STS_CATALOGUE,
} as const satisfies Record<string, CatalogueEntry>;

export type CatalogueCode = keyof typeof CATALOGUE;

/** AccessDeniedDetail object of a RAM denial (cams-api.md §3.2). */
export interface AccessDeniedDetail {
  AuthAction: string;
  /** A RAM user, or the role a temporary credential assumed. */
  AuthPrincipalType: 'SubUser' | 'AssumedRoleUser';
  AuthPrincipalOwnerId: string;
  /** The RAM user's ID, or `<roleName>:<sessionName>` for an assumed role. */
  AuthPrincipalDisplayName: string;
  /** Which policies decided; SessionPolicy when the session policy of an assumed role did. */
  PolicyType: 'AccountLevelIdentityBasedPolicy' | 'SessionPolicy';
  NoPermissionType: 'ImplicitDeny' | 'ExplicitDeny';
}

/** A catalogued error. `code` may be a catalogue code or a derived one (`MissingPhoneNumber`). */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly accessDeniedDetail: AccessDeniedDetail | undefined;
  /** With `SignatureDoesNotMatch` of signature V3: what the server signed (cams-api.md §3.1). */
  readonly signatureDetail: SignatureDetail | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    accessDeniedDetail?: AccessDeniedDetail,
    signatureDetail?: SignatureDetail,
  ) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.status = status;
    this.accessDeniedDetail = accessDeniedDetail;
    this.signatureDetail = signatureDetail;
  }
}

/**
 * The canonical request and string-to-sign the server computed for a V3 signature that did not match.
 * Neither holds a secret (cams-api.md §2.2.1 step 6: the secret only keys the HMAC of the string-to-sign);
 * both are made of what the caller sent, so a caller can compare them with its own.
 */
export interface SignatureDetail {
  readonly CanonicalRequest: string;
  readonly StringToSign: string;
}

/** `SignatureDoesNotMatch` with what the server signed, its message unchanged for the SDKs. */
export function signatureMismatch(detail: SignatureDetail): ServiceError {
  const entry = CATALOGUE.SignatureDoesNotMatch;
  return new ServiceError('SignatureDoesNotMatch', entry.status, entry.message, undefined, detail);
}

/** The catalogued error `code`, with its catalogued message unless a more specific one is given. */
export function fail(code: CatalogueCode, message?: string): ServiceError {
  const entry: CatalogueEntry = CATALOGUE[code];
  return new ServiceError(code, entry.status, message ?? entry.message);
}

/** `Missing{Name}`: the gateway's per-parameter form of MissingParameter (cams-api.md §3.1). */
export function missingParameter(name: string): ServiceError {
  return new ServiceError(
    `Missing${name}`,
    CATALOGUE.MissingParameter.status,
    `${name} is mandatory for this action.`,
  );
}

/** InvalidParameter naming the parameter and what was expected. */
export function invalidParameter(name: string, expected: string): ServiceError {
  return new ServiceError(
    'InvalidParameter',
    CATALOGUE.InvalidParameter.status,
    `Specified parameter ${name} is not valid: ${expected}`,
  );
}

/** A RAM denial in the product's Code (CAMS: Ram.PermissionDeny; RAM, STS: NoPermission). */
export function permissionDenied(
  code: 'Ram.PermissionDeny' | 'NoPermission',
  detail: AccessDeniedDetail,
): ServiceError {
  const entry = CATALOGUE[code];
  return new ServiceError(code, entry.status, entry.message, detail);
}
