import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from './parse.js';

/** Wraps statements in a valid document. */
const doc = (statement: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: '1', Statement: statement, ...extra });
const allow = (extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action: 'cams:*',
  Resource: '*',
  ...extra,
});
const withCondition = (condition: unknown) => doc([allow({ Condition: condition })]);

function errorsOf(text: string): string[] {
  const result = parsePolicyDocument(text);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.errors;
}

describe('parsePolicyDocument: accepted documents are normalized', () => {
  it('normalizes a single Statement object and single strings to arrays', () => {
    const result = parsePolicyDocument(
      '{"Version":"1","Statement":{"Effect":"Deny","Action":"cams:Get*","Resource":"*"}}',
    );
    expect(result).toEqual({
      ok: true,
      policy: {
        version: '1',
        statements: [
          {
            effect: 'Deny',
            actions: ['cams:Get*'],
            notAction: false,
            resources: ['*'],
            notResource: false,
            conditions: [],
          },
        ],
      },
    });
  });

  it('keeps NotAction / NotResource (extension) and normalizes condition scalars to strings', () => {
    const text = doc([
      {
        Effect: 'Allow',
        NotAction: ['ecs:*', 'ram:*'],
        NotResource: 'acs:cams:*:9999999999999999:*',
        Condition: { NumericLessThan: { 'test:Number': 10 }, Bool: { 'acs:SecureTransport': true } },
      },
    ]);
    const result = parsePolicyDocument(text);
    expect(result.ok && result.policy.statements[0]).toEqual({
      effect: 'Allow',
      actions: ['ecs:*', 'ram:*'],
      notAction: true,
      resources: ['acs:cams:*:9999999999999999:*'],
      notResource: true,
      conditions: [
        { operator: 'NumericLessThan', key: 'test:Number', values: ['10'] },
        { operator: 'Bool', key: 'acs:SecureTransport', values: ['true'] },
      ],
    });
  });

  it('accepts every documented operator with a well-typed value', () => {
    const text = withCondition({
      StringEquals: { 'acs:SourceVpc': ['vpc-a', 'vpc-b'] },
      StringNotLike: { 'acs:PrincipalArn': 'acs:ram::*:user/tmp-?' },
      NumericGreaterThanEquals: { 'test:Number': '-1.5e3' },
      DateGreaterThan: {
        'acs:CurrentTime': ['2026-01-01', '2026-01-01T08:00:00+08:00', '2026-01-01T00:00:00.123Z'],
      },
      IpAddress: { 'acs:SourceIp': ['10.0.0.1', '10.0.0.0/8', '2001:db8::/32', '::ffff:10.0.0.0/104'] },
      NotIpAddress: { 'acs:SourceIp': '192.0.2.0/24' },
    });
    expect(parsePolicyDocument(text).ok).toBe(true);
  });

  it('accepts a document of exactly 6144 characters', () => {
    const base = doc([allow()]);
    const padded = base.slice(0, -1) + ' '.repeat(6144 - base.length) + '}';
    expect(padded.length).toBe(6144);
    expect(parsePolicyDocument(padded).ok).toBe(true);
  });
});

describe('parsePolicyDocument: each malformed document says what is wrong, and where', () => {
  const cases: Array<[string, string, string[]]> = [
    ['non-JSON text', '{"Version": "1",', ['policy document is not valid JSON: ']],
    ['a JSON array', '[]', ['policy document must be a JSON object, got an array']],
    [
      'a wrong Version',
      doc([allow()]).replace('"1"', '"2012-10-17"'),
      ['Version must be "1", got "2012-10-17"'],
    ],
    [
      'a numeric Version',
      JSON.stringify({ Version: 1, Statement: [allow()] }),
      ['Version must be "1", got 1'],
    ],
    [
      'a missing Version',
      JSON.stringify({ Statement: [allow()] }),
      ['Version must be "1", but it is missing'],
    ],
    [
      'a missing Statement',
      '{"Version":"1"}',
      ['Statement must be an object or an array of statements, but it is missing'],
    ],
    ['an empty Statement array', doc([]), ['Statement must not be an empty array']],
    ['a Statement that is a string', doc(['x']), ['Statement[0] must be an object, got "x"']],
    [
      'an unknown top-level key',
      doc([allow()], { Id: 'x' }),
      ['policy document: unknown key "Id" (allowed: Version, Statement)'],
    ],
    [
      'a misspelt top-level key',
      JSON.stringify({ Version: '1', Statements: [allow()] }),
      [
        'policy document: unknown key "Statements" (did you mean "Statement"?)',
        'Statement must be an object or an array of statements, but it is missing',
      ],
    ],
    [
      'a lower-case Effect',
      doc([allow(), allow({ Effect: 'allow' })]),
      ['Statement[1].Effect must be "Allow" or "Deny", got "allow"'],
    ],
    [
      'a missing Effect',
      doc({ Action: '*', Resource: '*' }),
      ['Statement.Effect must be "Allow" or "Deny", but it is missing'],
    ],
    [
      'both Action and NotAction',
      doc([allow({ NotAction: 'ecs:*' })]),
      ['Statement[0] must have exactly one of Action or NotAction'],
    ],
    [
      'neither Action nor NotAction',
      doc([{ Effect: 'Allow', Resource: '*' }]),
      ['Statement[0] must have exactly one of Action or NotAction'],
    ],
    [
      'no Resource',
      doc([{ Effect: 'Allow', Action: '*' }]),
      ['Statement[0] must have exactly one of Resource or NotResource'],
    ],
    ['an empty Action list', doc([allow({ Action: [] })]), ['Statement[0].Action must not be empty']],
    [
      'an Action that is a number',
      doc([allow({ Action: 5 })]),
      ['Statement[0].Action must be a string or an array of strings, got 5'],
    ],
    [
      'an Action element that is not a string',
      doc([allow({ Action: ['cams:Get*', null] })]),
      ['Statement[0].Action[1] must be a string, got null'],
    ],
    [
      'an action without a service',
      doc([allow({ Action: ['cams:Get*', 'GetChatappVerifyCode'] })]),
      [
        'Statement[0].Action[1]: "GetChatappVerifyCode" is not of the form "<service>:<ActionPattern>" (e.g. "cams:Get*") or "*"',
      ],
    ],
    [
      'an action with an empty name',
      doc([allow({ Action: 'cams:' })]),
      [
        'Statement[0].Action: "cams:" is not of the form "<service>:<ActionPattern>" (e.g. "cams:Get*") or "*"',
      ],
    ],
    [
      'a resource that is not an ARN',
      doc([allow({ Resource: 'everything' })]),
      [
        'Statement[0].Resource: "everything" is not "*" or an ARN of the form "acs:<service>:<region>:<account-id>:<relative-id>"',
      ],
    ],
    [
      'an unknown statement key',
      doc([allow({ Sid: 'one' })]),
      [
        'Statement[0]: unknown key "Sid" (allowed: Effect, Action, NotAction, Resource, NotResource, Condition)',
      ],
    ],
    [
      'a misspelt statement key',
      doc([allow({ Condtion: {} })]),
      ['Statement[0]: unknown key "Condtion" (did you mean "Condition"?)'],
    ],
    [
      'a Principal in an identity policy',
      doc([allow({ Principal: { RAM: ['*'] } })]),
      ['Statement[0]: "Principal" is only allowed in resource-based policies (e.g. role trust policies)'],
    ],
    [
      'an unknown condition operator',
      withCondition({ StringEqualz: { 'acs:SourceVpc': 'v' } }),
      ['Statement[0].Condition: unknown condition operator "StringEqualz" (did you mean "StringEquals"?)'],
    ],
    [
      'an operator Alibaba does not list',
      withCondition({ Null: { 'acs:SourceVpc': 'true' } }),
      ['Statement[0].Condition: unknown condition operator "Null"'],
    ],
    [
      'a Condition that is a list',
      withCondition([]),
      ['Statement[0].Condition must be an object mapping condition operators to {key: values}, got an array'],
    ],
    [
      'an empty Condition',
      withCondition({}),
      ['Statement[0].Condition must not be empty (omit Condition instead)'],
    ],
    [
      'an operator block that is a string',
      withCondition({ Bool: 'true' }),
      ['Statement[0].Condition.Bool must be an object mapping condition keys to values, got "true"'],
    ],
    [
      'an empty operator block',
      withCondition({ Bool: {} }),
      ['Statement[0].Condition.Bool must name at least one condition key'],
    ],
    [
      'a condition key without a prefix',
      withCondition({ Bool: { SecureTransport: 'true' } }),
      [
        'Statement[0].Condition.Bool["SecureTransport"]: condition key must be of the form "<service>:<KeyName>", e.g. "acs:SourceIp"',
      ],
    ],
    [
      'an empty value list',
      withCondition({ StringEquals: { 'acs:SourceVpc': [] } }),
      [
        'Statement[0].Condition.StringEquals["acs:SourceVpc"] must not be an empty array (the values of a key are ORed, so it could never match)',
      ],
    ],
    [
      'an object as a condition value',
      withCondition({ StringEquals: { 'acs:SourceVpc': [{ a: 1 }] } }),
      [
        'Statement[0].Condition.StringEquals["acs:SourceVpc"][0] must be a string, number or boolean, got an object',
      ],
    ],
    [
      'a bad IPv4 CIDR',
      withCondition({ IpAddress: { 'acs:SourceIp': '10.0.0.300/8' } }),
      ['Statement[0].Condition.IpAddress["acs:SourceIp"]: "10.0.0.300/8" is not an IP address or CIDR'],
    ],
    [
      'a prefix too long for IPv4',
      withCondition({ NotIpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '10.0.0.0/33'] } }),
      ['Statement[0].Condition.NotIpAddress["acs:SourceIp"][1]: "10.0.0.0/33" is not an IP address or CIDR'],
    ],
    [
      "Alibaba's masked example address",
      withCondition({ IpAddress: { 'acs:SourceIp': '116.62.XX.XX/24' } }),
      ['Statement[0].Condition.IpAddress["acs:SourceIp"]: "116.62.XX.XX/24" is not an IP address or CIDR'],
    ],
    [
      'a non-number for a Numeric operator',
      withCondition({ NumericLessThan: { 'test:Number': 'ten' } }),
      ['Statement[0].Condition.NumericLessThan["test:Number"]: "ten" is not a number'],
    ],
    [
      'a boolean for a Numeric operator',
      withCondition({ NumericEquals: { 'test:Number': true } }),
      ['Statement[0].Condition.NumericEquals["test:Number"]: "true" is not a number'],
    ],
    [
      'a non-ISO date',
      withCondition({ DateLessThan: { 'acs:CurrentTime': '27/11/2026' } }),
      [
        'Statement[0].Condition.DateLessThan["acs:CurrentTime"]: "27/11/2026" is not an ISO 8601 date or date-time (e.g. "2026-01-31T12:00:00Z")',
      ],
    ],
    [
      'an impossible date',
      withCondition({ DateGreaterThan: { 'acs:CurrentTime': '2026-02-30T00:00:00Z' } }),
      [
        'Statement[0].Condition.DateGreaterThan["acs:CurrentTime"]: "2026-02-30T00:00:00Z" is not an ISO 8601 date or date-time (e.g. "2026-01-31T12:00:00Z")',
      ],
    ],
    [
      'a Bool that is not true/false',
      withCondition({ Bool: { 'acs:SecureTransport': 'yes' } }),
      ['Statement[0].Condition.Bool["acs:SecureTransport"]: "yes" is not true or false'],
    ],
    [
      'a Bool that is a number',
      withCondition({ Bool: { 'acs:SecureTransport': 1 } }),
      ['Statement[0].Condition.Bool["acs:SecureTransport"]: "1" is not true or false'],
    ],
  ];

  it.each(cases)('%s', (_name, text, expected) => {
    const errors = errorsOf(text);
    expect(errors).toHaveLength(expected.length);
    expected.forEach((message, i) => expect(errors[i]).toContain(message));
  });

  it('says a document over 6144 characters is too long', () => {
    const base = doc([allow()]);
    const text = base.slice(0, -1) + ' '.repeat(6145 - base.length) + '}';
    expect(errorsOf(text)).toEqual([
      'policy document is 6145 characters long; Alibaba Cloud limits custom policies to 6144',
    ]);
  });

  it('reports every problem of a document, in document order', () => {
    const text = JSON.stringify({
      Version: '2',
      Statement: [
        { Effect: 'Permit', Action: [], Resource: '*' },
        {
          Effect: 'Deny',
          Action: 'cams:*',
          Resource: '*',
          Condition: { IpAddress: { 'acs:SourceIp': 'localhost' } },
        },
      ],
    });
    expect(errorsOf(text)).toEqual([
      'Version must be "1", got "2"',
      'Statement[0].Effect must be "Allow" or "Deny", got "Permit"',
      'Statement[0].Action must not be empty',
      'Statement[1].Condition.IpAddress["acs:SourceIp"]: "localhost" is not an IP address or CIDR',
    ]);
  });
});
