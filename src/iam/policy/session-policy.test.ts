import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from './parse.js';
import { evaluateSession } from './session-policy.js';
import type { Policy } from './types.js';

const policy = (...statements: object[]): Policy => {
  const parsed = parsePolicyDocument(JSON.stringify({ Version: '1', Statement: statements }));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.policy;
};
const allow = (action: string) => ({ Effect: 'Allow', Action: action, Resource: '*' });
const deny = (action: string) => ({ Effect: 'Deny', Action: action, Resource: '*' });
const role = (...statements: object[]) => [
  { name: 'role-policy', type: 'Custom' as const, policy: policy(...statements) },
];
const facts = (action: string) => ({ action, resource: 'acs:cams:*:1000000000000001:*', context: {} });

describe('assumed-role authorization: role policies ∩ session policy', () => {
  const cases: Array<[string, ReturnType<typeof role>, Policy | undefined, string, string, string?]> = [
    ['the role alone allows', role(allow('cams:*')), undefined, 'cams:AddChatappPhoneNumber', 'Allow'],
    [
      'the role alone, nothing allows',
      role(allow('cams:Query*')),
      undefined,
      'cams:AddChatappPhoneNumber',
      'ImplicitDeny',
      'AccountLevelIdentityBasedPolicy',
    ],
    [
      'no role policy at all',
      [],
      undefined,
      'cams:QueryChatappPhoneNumbers',
      'ImplicitDeny',
      'AccountLevelIdentityBasedPolicy',
    ],
    [
      'both allow',
      role(allow('cams:*')),
      policy(allow('cams:Query*')),
      'cams:QueryChatappPhoneNumbers',
      'Allow',
    ],
    [
      'the session narrows',
      role(allow('cams:*')),
      policy(allow('cams:Query*')),
      'cams:AddChatappPhoneNumber',
      'ImplicitDeny',
      'SessionPolicy',
    ],
    [
      'the session cannot widen',
      role(allow('cams:Query*')),
      policy(allow('*')),
      'cams:AddChatappPhoneNumber',
      'ImplicitDeny',
      'AccountLevelIdentityBasedPolicy',
    ],
    [
      'a session Deny wins',
      role(allow('cams:*')),
      policy(allow('*'), deny('cams:Add*')),
      'cams:AddChatappPhoneNumber',
      'ExplicitDeny',
      'SessionPolicy',
    ],
    [
      'a role Deny wins over a session Allow',
      role(allow('*'), deny('cams:Add*')),
      policy(allow('*')),
      'cams:AddChatappPhoneNumber',
      'ExplicitDeny',
      'AccountLevelIdentityBasedPolicy',
    ],
    [
      'an empty session policy allows nothing',
      role(allow('*')),
      { version: '1', statements: [] },
      'cams:QueryChatappPhoneNumbers',
      'ImplicitDeny',
      'SessionPolicy',
    ],
  ];
  it.each(cases)('%s', (_name, rolePolicies, session, action, decision, policyType) => {
    const result = evaluateSession(rolePolicies, session, facts(action));
    expect(result.decision).toBe(decision);
    if (policyType !== undefined) expect(result.policyType).toBe(policyType);
  });
});
