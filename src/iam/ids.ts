import { randomBytes, randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  // Rejection-free: randomInt is uniform over the alphabet.
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function randomDigits(length: number): string {
  return String(randomInt(1, 10)) + Array.from({ length: length - 1 }, () => randomInt(10)).join('');
}

/** Alibaba account UIDs are 16 digits. */
export const newAccountId = (): string => randomDigits(16);
/** RAM user IDs are 16-17 digits (AuthPrincipalDisplayName examples in cams-api.md §3.2). */
export const newUserId = (): string => randomDigits(17);
/** AccessKey IDs look like Alibaba's: `LTAI` + 20 alphanumerics; secrets are 30 alphanumerics. */
export const newAccessKeyId = (): string => `LTAI${randomString(ALNUM, 20)}`;
export const newAccessKeySecret = (): string => randomString(ALNUM, 30);
/** Customer space IDs in the form of the CAMS examples (`cams-kei****`). */
export const newCustSpaceId = (): string => `cams-${randomString(LOWER_ALNUM, 10)}`;
export const newNonce = (): string => randomBytes(16).toString('hex');
/** RAM role IDs are 19 digits (RoleId in the RAM API's examples). */
export const newRoleId = (): string => randomDigits(19);
