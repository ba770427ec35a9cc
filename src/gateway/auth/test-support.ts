/**
 * The worked example of cams-api.md §2.2.3 (signature V3 of a body-style AddChatappPhoneNumber): one
 * copy of the vector, for the server's signer (v3.test.ts) and the explorer's (test/web/sign-v3.test.ts).
 */
export const V3_BODY_SIGNED_HEADERS =
  'content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version';

export const V3_CANONICAL_REQUEST = [
  'POST',
  '/',
  '',
  'content-type:application/x-www-form-urlencoded',
  'host:cams.ap-southeast-1.aliyuncs.com',
  'x-acs-action:AddChatappPhoneNumber',
  'x-acs-content-sha256:fc8b4338142387c7eb98e03076bc9480898df11f4ec09d1152d1d536c05afe7c',
  'x-acs-credentials-provider:static_ak',
  'x-acs-date:2024-01-01T00:00:00Z',
  'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
  'x-acs-version:2020-06-06',
  '',
  V3_BODY_SIGNED_HEADERS,
  'fc8b4338142387c7eb98e03076bc9480898df11f4ec09d1152d1d536c05afe7c',
].join('\n');
