import { createHash } from 'node:crypto';
import { type UpstreamError } from '../../errors/index.js';
import { GRAPH_ERRORS, graphError, invalidParameter } from './errors.js';

/**
 * The n-th code sent to a number: six digits from seed, number and counter, so a seeded run always sends the
 * same codes (whatsapp-upstream.md §1.13 "Deterministic OTPs ... plus a delivery sink").
 */
export function verificationCode(seed: string, phoneNumberId: string, n: number): string {
  const digest = createHash('sha256').update(`${seed}\u0000otp\u0000${phoneNumberId}\u0000${n}`).digest();
  return (digest.readUInt32BE(0) % 1_000_000).toString().padStart(6, '0');
}

/**
 * request_code parameters (whatsapp-upstream.md §1.5): `code_method` SMS or VOICE, `language` a locale such
 * as en_US.
 */
export function checkRequestCode(method: string, language: string): UpstreamError | undefined {
  if (method !== 'SMS' && method !== 'VOICE') {
    return invalidParameter(`Param code_method must be one of {SMS, VOICE}, got "${method}"`);
  }
  if (!/^[a-z]{2,3}(?:_[A-Z]{2})?$/.test(language)) {
    return invalidParameter(`Param language must be a locale such as en_US or pt_BR, got "${language}"`);
  }
  return undefined;
}

export interface SentCode {
  /** The outbox message that carried it. */
  id: string;
  code: string;
  sentAt: number;
  expiresAt: number;
  /** When verify_code accepted it. */
  usedAt?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * verify_code against the latest code sent (whatsapp-upstream.md §1.5): the code must be six digits (100),
 * match the latest code, not have been used and still be within its lifetime (136025 otherwise, saying
 * which). A newer request_code replaces older codes. A code verifies once: Meta's verify_code has one error
 * of its own, 136025 "Verify code error", and a code already used is refused with it; a number already
 * VERIFIED stays so.
 */
export function checkVerifyCode(
  latest: SentCode | undefined,
  code: string,
  now: number,
): UpstreamError | undefined {
  if (!/^\d{6}$/.test(code)) return invalidParameter(`Param code must be 6 digits, got "${code}"`);
  const fail = (userMessage: string): UpstreamError =>
    graphError(GRAPH_ERRORS.verifyCodeError, { userMessage });
  if (latest === undefined) return fail('No code was requested for this number: call request_code first.');
  if (code !== latest.code) {
    return fail('The code is wrong: enter the code of the latest SMS or voice call, or request a new one.');
  }
  if (latest.usedAt !== undefined) {
    return fail(
      `The code was already used at ${iso(latest.usedAt)}; a code verifies once: request a new one to verify again.`,
    );
  }
  if (now >= latest.expiresAt) {
    return fail(`The code expired at ${iso(latest.expiresAt)}: request a new one.`);
  }
  return undefined;
}
