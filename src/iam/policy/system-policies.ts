/**
 * Alibaba's system policies for CAMS, reproduced exactly (cams-api.md §4.5, both version 1 of
 * 2021-08-04), and those for RAM itself, which govern the RAM API's actions (`ram:CreateUser`, ...).
 */
import type { NamedPolicy } from './evaluate.js';
import { parsePolicyDocument } from './parse.js';

export const SYSTEM_POLICIES: ReadonlyArray<{ name: string; description: string; document: string }> = [
  {
    name: 'AliyunCamsFullAccess',
    description: 'Full access to Chat App Message Service (CAMS)',
    document: '{"Version":"1","Statement":[{"Action":"cams:*","Effect":"Allow","Resource":"*"}]}',
  },
  {
    name: 'AliyunCamsReadOnlyAccess',
    description: 'Read-only access to Chat App Message Service (CAMS)',
    // Faithful to Alibaba, including its gaps (cams-api.md §4.5): it does NOT match cams:Query*
    // (QueryChatappPhoneNumbers, QueryChatappBindWaba, QueryPhoneBusinessProfile) nor cams:IsvGetAppId, yet
    // it DOES match cams:GetChatappVerifyCode, which sends an SMS/voice code.
    document:
      '{"Version":"1","Statement":[{"Action":["cams:Get*","cams:List*"],"Effect":"Allow","Resource":"*"}]}',
  },
  {
    name: 'AliyunRAMFullAccess',
    description: 'Provides full access to Resource Access Management (RAM).',
    document: '{"Version":"1","Statement":[{"Action":"ram:*","Effect":"Allow","Resource":"*"}]}',
  },
  {
    name: 'AliyunRAMReadOnlyAccess',
    description: 'Provides read-only access to Resource Access Management (RAM).',
    document:
      '{"Version":"1","Statement":[{"Action":["ram:Get*","ram:List*"],"Effect":"Allow","Resource":"*"}]}',
  },
  {
    // What a RAM user needs to call STS AssumeRole (the role's trust policy must also let it in).
    name: 'AliyunSTSAssumeRoleAccess',
    description: 'Provides access to call Security Token Service (STS) AssumeRole API.',
    document: '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Resource":"*"}]}',
  },
];

/**
 * The system policy named exactly `name`, ready to evaluate, or undefined if there is none.
 * Parsed on every call (the documents are tiny), so callers never share a mutable policy object.
 */
export function systemPolicy(name: string): NamedPolicy | undefined {
  const entry = SYSTEM_POLICIES.find((p) => p.name === name);
  if (!entry) return undefined;
  const result = parsePolicyDocument(entry.document);
  // The documents above are constants covered by tests; failing here is a bug in this file, not user input.
  if (!result.ok) throw new Error(`system policy ${name} does not parse: ${result.errors.join('; ')}`);
  return { name, type: 'System', policy: result.policy };
}
