import { describe, expect, it } from 'vitest';
import { evaluateTrustPolicy, parseTrustPolicy, type TrustPrincipal } from './trust-policy.js';

const A = '1111111111111111';
const B = '2222222222222222';

const doc = (statements: unknown[]) => JSON.stringify({ Version: '1', Statement: statements });
const allow = (principal: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action: 'sts:AssumeRole',
  Principal: principal,
  ...extra,
});

function parsed(text: string) {
  const result = parseTrustPolicy(text);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.policy;
}

const root = (account: string): TrustPrincipal => ({
  kind: 'ram',
  accountId: account,
  arn: `acs:ram::${account}:root`,
});
const user = (account: string, name: string): TrustPrincipal => ({
  kind: 'ram',
  accountId: account,
  arn: `acs:ram::${account}:user/${name}`,
});

describe('parseTrustPolicy', () => {
  it('accepts RAM, Service and Federated principals, single values or lists, and a Condition', () => {
    const result = parseTrustPolicy(
      doc([
        allow({ RAM: `acs:ram::${A}:root`, Service: ['ecs.aliyuncs.com'] }),
        allow(
          { RAM: [`acs:ram::${B}:user/alice`, `acs:ram::${B}:role/Deployer`] },
          { Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } },
        ),
        allow({ Federated: [`acs:ram::${A}:saml-provider/idp`] }),
      ]),
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.policy.statements[0]!.principal).toEqual({
        ram: [`acs:ram::${A}:root`],
        service: ['ecs.aliyuncs.com'],
        federated: [],
      });
      expect(result.policy.statements[1]!.conditions).toHaveLength(1);
    }
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no Principal', doc([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]), /Principal must be an object/],
    [
      'a Resource',
      doc([allow({ RAM: [`acs:ram::${A}:root`] }, { Resource: '*' })]),
      /names a Principal, not Resource/,
    ],
    ['an unknown principal kind', doc([allow({ Ram: [`acs:ram::${A}:root`] })]), /unknown key "Ram"/],
    [
      'a RAM principal that is a name',
      doc([allow({ RAM: ['alice'] })]),
      /"alice" is not "acs:ram::<account-id>:root"/,
    ],
    ['a bad service', doc([allow({ Service: ['ecs.example.com'] })]), /is not a service/],
    ['an empty list', doc([allow({ RAM: [] })]), /RAM must not be empty/],
    ['no Action', doc([{ Effect: 'Allow', Principal: { RAM: `acs:ram::${A}:root` } }]), /Action is missing/],
    [
      'Effect Maybe',
      doc([{ ...allow({ RAM: `acs:ram::${A}:root` }), Effect: 'Maybe' }]),
      /Effect must be "Allow" or "Deny"/,
    ],
    [
      'a bad condition operator',
      doc([allow({ RAM: `acs:ram::${A}:root` }, { Condition: { Nope: { 'acs:SourceIp': 'x' } } })]),
      /Nope/,
    ],
    [
      'too long',
      doc([allow({ RAM: Array.from({ length: 80 }, (_, i) => `acs:ram::${A}:user/u${i}`) })]),
      /limits it to 2048/,
    ],
  ])('refuses %s, saying why', (_, text, why) => {
    const result = parseTrustPolicy(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(why);
  });
});

describe('evaluateTrustPolicy', () => {
  const cases: Array<[string, string, TrustPrincipal, 'Allow' | 'ImplicitDeny' | 'ExplicitDeny']> = [
    ['the account root trusts its root', doc([allow({ RAM: [`acs:ram::${A}:root`] })]), root(A), 'Allow'],
    [
      'the account root trusts its users',
      doc([allow({ RAM: [`acs:ram::${A}:root`] })]),
      user(A, 'bob'),
      'Allow',
    ],
    [
      'another account is not trusted',
      doc([allow({ RAM: [`acs:ram::${A}:root`] })]),
      root(B),
      'ImplicitDeny',
    ],
    [
      'a named user is trusted (any case)',
      doc([allow({ RAM: [`acs:ram::${A}:user/Alice`] })]),
      user(A, 'alice'),
      'Allow',
    ],
    [
      'another user is not',
      doc([allow({ RAM: [`acs:ram::${A}:user/alice`] })]),
      user(A, 'bob'),
      'ImplicitDeny',
    ],
    [
      'a named user is not the root',
      doc([allow({ RAM: [`acs:ram::${A}:user/alice`] })]),
      root(A),
      'ImplicitDeny',
    ],
    [
      "another account's user is trusted cross-account",
      doc([allow({ RAM: [`acs:ram::${B}:user/carol`] })]),
      user(B, 'carol'),
      'Allow',
    ],
    [
      'a claimed ARN of another account than the caller is not trusted',
      doc([allow({ RAM: [`acs:ram::${B}:root`] })]),
      { kind: 'ram', accountId: A, arn: `acs:ram::${B}:root` },
      'ImplicitDeny',
    ],
    [
      "a role's session is trusted where the role is",
      doc([allow({ RAM: [`acs:ram::${A}:role/deployer`] })]),
      { kind: 'ram', accountId: A, arn: `acs:ram::${A}:assumed-role/Deployer/ci-42` },
      'Allow',
    ],
    [
      'a Deny beats an Allow',
      doc([
        allow({ RAM: [`acs:ram::${A}:root`] }),
        { ...allow({ RAM: [`acs:ram::${A}:user/bob`] }), Effect: 'Deny' },
      ]),
      user(A, 'bob'),
      'ExplicitDeny',
    ],
    [
      'a service is trusted by name',
      doc([allow({ Service: ['ecs.aliyuncs.com'] })]),
      { kind: 'service', service: 'ecs.aliyuncs.com' },
      'Allow',
    ],
    [
      'a service is not a RAM identity',
      doc([allow({ Service: ['ecs.aliyuncs.com'] })]),
      root(A),
      'ImplicitDeny',
    ],
    [
      'another action is not trusted',
      doc([{ ...allow({ RAM: [`acs:ram::${A}:root`] }), Action: 'sts:GetCallerIdentity' }]),
      root(A),
      'ImplicitDeny',
    ],
    [
      'sts:* covers AssumeRole',
      doc([{ ...allow({ RAM: [`acs:ram::${A}:root`] }), Action: 'sts:*' }]),
      root(A),
      'Allow',
    ],
  ];
  it.each(cases)('%s', (_, text, principal, decision) => {
    expect(evaluateTrustPolicy(parsed(text), { principal }).decision).toBe(decision);
  });

  it('holds the Condition against the request context', () => {
    const policy = parsed(
      doc([
        allow(
          { RAM: [`acs:ram::${A}:root`] },
          { Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } },
        ),
      ]),
    );
    const inside = evaluateTrustPolicy(policy, {
      principal: root(A),
      context: { 'acs:SourceIp': '10.1.2.3' },
    });
    const outside = evaluateTrustPolicy(policy, {
      principal: root(A),
      context: { 'acs:SourceIp': '192.168.1.1' },
    });
    expect([inside.decision, outside.decision]).toEqual(['Allow', 'ImplicitDeny']);
    expect(inside.matched).toEqual([0]);
  });
});
