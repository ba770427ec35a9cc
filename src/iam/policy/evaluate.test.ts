import { describe, expect, it } from 'vitest';
import { evaluate, type NamedPolicy, type RequestFacts } from './evaluate.js';
import type { Statement } from './types.js';

const facts: RequestFacts = {
  action: 'cams:AddChatappPhoneNumber',
  resource: 'acs:cams:*:1234567890123456:*',
  context: {
    'acs:SourceIp': '127.0.0.1',
    'acs:SecureTransport': 'false',
    'acs:CurrentTime': '2026-11-27T07:00:00Z',
  },
};

const statement = (overrides: Partial<Statement>): Statement => ({
  effect: 'Allow',
  actions: ['cams:*'],
  notAction: false,
  resources: ['*'],
  notResource: false,
  conditions: [],
  ...overrides,
});

const custom = (name: string, statements: Statement[]): NamedPolicy => ({
  name,
  type: 'Custom',
  policy: { version: '1', statements },
});

describe('evaluate', () => {
  it('reports the matching statements with their policy, type, index and effect', () => {
    const policies = [custom('p', [statement({ actions: ['ecs:*'] }), statement({})])];
    expect(evaluate(policies, facts)).toEqual({
      decision: 'Allow',
      matched: [{ policyName: 'p', policyType: 'Custom', statementIndex: 1, effect: 'Allow' }],
    });
  });

  it('is deterministic and does not modify its inputs', () => {
    const policies = [custom('p', [statement({}), statement({ effect: 'Deny', actions: ['cams:Add*'] })])];
    const before = JSON.stringify({ policies, facts });
    const first = evaluate(policies, facts);
    expect(evaluate(policies, facts)).toEqual(first);
    expect(first.decision).toBe('ExplicitDeny');
    expect(JSON.stringify({ policies, facts })).toBe(before);
  });

  it('reports, without throwing, a hand-built condition it cannot evaluate; that condition does not hold', () => {
    const broken = custom('broken', [
      statement({ conditions: [{ operator: 'StringEqualz', key: 'acs:SourceVpc', values: ['v'] }] }),
      statement({
        effect: 'Deny',
        conditions: [{ operator: 'IpAddress', key: 'acs:SourceIp', values: ['not-an-ip'] }],
      }),
    ]);
    expect(evaluate([broken], facts)).toEqual({
      decision: 'ImplicitDeny',
      matched: [],
      errors: [
        'policy broken Statement[0]: unknown condition operator "StringEqualz" (did you mean "StringEquals"?)',
        'policy broken Statement[1]: IpAddress["acs:SourceIp"]: "not-an-ip" is not an IP address or CIDR',
      ],
    });
  });

  it('does not evaluate conditions of a statement whose action does not match', () => {
    const policy = custom('p', [
      statement({ actions: ['ecs:*'], conditions: [{ operator: 'Nope', key: 'a:b', values: [] }] }),
    ]);
    expect(evaluate([policy], facts)).toEqual({ decision: 'ImplicitDeny', matched: [] });
  });
});
