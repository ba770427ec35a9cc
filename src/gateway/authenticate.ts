import type { ResolvedKey } from '../iam/iam-service.js';
import { MAX_SKEW_MS } from '../throttle/nonce-cache.js';
import { verifyV1 } from './auth/v1.js';
import {
  canonicalRequestV3,
  hashPayload,
  parseV3Authorization,
  stringToSignV3,
  verifyV3,
  type V3Authorization,
  type V3Input,
} from './auth/v3.js';
import { constantTimeEqual } from '../crypto/constant-time.js';
import type { PipelineDeps, RequestContext } from './context.js';
import { fail, missingParameter, signatureMismatch } from '../errors/index.js';
import { STS_KEY_PREFIX } from '../iam/sts-sessions.js';

/** Alibaba's timestamps: `yyyy-MM-ddTHH:mm:ssZ`, UTC (cams-api.md §3.3). */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** The last well-formed timestamp and its time: every request of the same second carries it. */
let lastTimestamp = { value: '', ms: 0 };

/** Checks a request timestamp is well formed and within MAX_SKEW_MS of now; returns it in ms. */
function checkTimestamp(value: string, nowMs: number): number {
  let ms = lastTimestamp.value === value ? lastTimestamp.ms : NaN;
  if (Number.isNaN(ms)) {
    const m = TIMESTAMP.exec(value);
    ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
    if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) + 'Z' !== value) {
      throw fail('InvalidTimeStamp.Format');
    }
    lastTimestamp = { value, ms };
  }
  if (Math.abs(nowMs - ms) > MAX_SKEW_MS) throw fail('InvalidTimeStamp.Expired');
  return ms;
}

/**
 * The caller behind an AccessKeyId: a temporary one (`STS.…`, issued by AssumeRole) with the SecurityToken
 * sent beside it (iam/sts-sessions.ts), or a long-term key. A token sent with a long-term key is signed
 * like any parameter and otherwise ignored.
 */
async function resolveKey(
  deps: PipelineDeps,
  accessKeyId: string,
  securityToken: string | undefined,
): Promise<ResolvedKey> {
  if (accessKeyId.startsWith(STS_KEY_PREFIX)) return deps.sts.resolve(accessKeyId, securityToken);
  const resolved = await deps.iam.resolveAccessKey(accessKeyId);
  if (resolved === undefined) throw fail('InvalidAccessKeyId.NotFound');
  if (resolved.key.status !== 'Active') throw fail('InvalidAccessKeyId.Inactive');
  return resolved;
}

async function checkNonce(
  ctx: RequestContext,
  deps: PipelineDeps,
  accessKeyId: string,
  nonce: string,
  requestMs: number,
  nowMs: number,
): Promise<void> {
  // Kept until the request's own timestamp check would fail (requestMs + MAX_SKEW_MS); the nonce of a
  // request that changes state is kept where a restart does not lose it
  // (architecture.md, "Replay protection across restarts").
  const request = { changesState: ctx.action?.writes === true, atEnd: ctx.atEndOfWork };
  if (!(await deps.nonces.remember(accessKeyId, nonce, requestMs, nowMs, request))) {
    throw fail('SignatureNonceUsed');
  }
}

// Headers that must be covered by a V3 signature when present (cams-api.md §2.2.2 step 2).
const MUST_SIGN = [
  'host',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
];

function header(ctx: RequestContext, name: string): string | undefined {
  return ctx.http.headers[name]?.[0];
}

async function authenticateV3(ctx: RequestContext, deps: PipelineDeps, nowMs: number): Promise<ResolvedKey> {
  const auth: V3Authorization | undefined = parseV3Authorization(header(ctx, 'authorization') ?? '');
  if (auth === undefined) throw fail('IncompleteSignature');
  const date = header(ctx, 'x-acs-date');
  const nonce = header(ctx, 'x-acs-signature-nonce');
  const contentHash = header(ctx, 'x-acs-content-sha256');
  for (const [name, value] of [
    ['x-acs-date', date],
    ['x-acs-signature-nonce', nonce],
    ['x-acs-content-sha256', contentHash],
  ] as const) {
    if (value === undefined || value === '') {
      throw fail(
        'IncompleteSignature',
        `The request signature does not conform to Aliyun standards: header ${name} is missing.`,
      );
    }
  }
  const signed = auth.signedHeaders;
  const unsigned = new Set<string>();
  for (const h of MUST_SIGN) if (ctx.http.headers[h] !== undefined && !signed.includes(h)) unsigned.add(h);
  for (const h in ctx.http.headers) {
    const mustSign = h.startsWith('x-acs-') || (h === 'content-type' && ctx.http.body.length > 0);
    if (mustSign && ctx.http.headers[h] !== undefined && !signed.includes(h)) unsigned.add(h);
  }
  if (unsigned.size > 0) {
    throw fail(
      'IncompleteSignature',
      `The request signature does not conform to Aliyun standards: headers not signed: ${[...unsigned].join(', ')}.`,
    );
  }
  const requestMs = checkTimestamp(date!, nowMs);
  const key = await resolveKey(deps, auth.accessKeyId, header(ctx, 'x-acs-security-token'));
  const payloadHash = hashPayload(auth.algorithm, ctx.http.body);
  const input: V3Input = {
    method: ctx.http.method,
    path: '/',
    queryPairs: ctx.queryPairs,
    headers: ctx.http.headers,
    payloadHash,
    authorization: auth,
  };
  const valid = constantTimeEqual(payloadHash, contentHash!) && verifyV3(input, key.secret);
  if (!valid) {
    // What the server signed, beside the unchanged message: no secret is in either (cams-api.md §3.1).
    const canonicalRequest = canonicalRequestV3(input);
    throw signatureMismatch({
      CanonicalRequest: canonicalRequest,
      StringToSign: stringToSignV3(auth.algorithm, canonicalRequest),
    });
  }
  await checkNonce(ctx, deps, auth.accessKeyId, nonce!, requestMs, nowMs);
  return key;
}

const V1_REQUIRED = [
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
];

async function authenticateV1(ctx: RequestContext, deps: PipelineDeps, nowMs: number): Promise<ResolvedKey> {
  for (const name of V1_REQUIRED) {
    const value = ctx.params.get(name);
    if (value === undefined || value === '') throw missingParameter(name);
  }
  const p = (name: string): string => ctx.params.get(name)!;
  if (p('SignatureMethod') !== 'HMAC-SHA1' || p('SignatureVersion') !== '1.0')
    throw fail('InvalidSignatureMethod');
  const requestMs = checkTimestamp(p('Timestamp'), nowMs);
  const key = await resolveKey(deps, p('AccessKeyId'), ctx.params.get('SecurityToken'));
  // Query and form-body parameters are signed together (cams-api.md §2.3.1 step 3).
  if (!verifyV1(ctx.http.method, [...ctx.queryPairs, ...ctx.bodyPairs], p('Signature'), key.secret)) {
    throw fail('SignatureDoesNotMatch');
  }
  await checkNonce(ctx, deps, p('AccessKeyId'), p('SignatureNonce'), requestMs, nowMs);
  return key;
}

/**
 * authenticate: timestamp within ±15 minutes, key known and active, signature verified (constant
 * time), and only then the nonce recorded, so unauthenticated traffic cannot burn other callers' nonces.
 */
/**
 * The Codes `authenticate` refuses with (cams-api.md §3.1): signature, timestamp, nonce and AccessKeyId
 * failures. The audit trail and the metrics count these as authentication failures.
 */
export const AUTHENTICATION_CODES: ReadonlySet<string> = new Set([
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidSignatureMethod',
  'InvalidTimeStamp.Format',
  'InvalidTimeStamp.Expired',
  'SignatureNonceUsed',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'MissingSecurityToken',
  'InvalidSecurityToken.Malformed',
  'InvalidSecurityToken.MismatchWithAccessKey',
  'InvalidSecurityToken.Expired',
]);

export async function authenticate(ctx: RequestContext, deps: PipelineDeps): Promise<void> {
  const nowMs = deps.clock.now();
  ctx.caller =
    ctx.protocol === 'V3' ? await authenticateV3(ctx, deps, nowMs) : await authenticateV1(ctx, deps, nowMs);
  ctx.log = ctx.log.with({
    accessKeyId: ctx.caller.key.id,
    accountId: ctx.caller.account.id,
    ...(ctx.caller.user ? { ramUser: ctx.caller.user.name } : {}),
    ...(ctx.caller.session
      ? { assumedRole: `${ctx.caller.session.roleName}:${ctx.caller.session.sessionName}` }
      : {}),
  });
}
