/**
 * Runs the decision corpus in ./corpus (see corpus/README.md): every case names its policies, the
 * request facts and the expected decision (architecture.md, "Conventions" 5).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, type Decision, type NamedPolicy, type RequestFacts } from './evaluate.js';
import { parsePolicyDocument } from './parse.js';
import { systemPolicy } from './system-policies.js';

type PolicyEntry = string | { name: string; document: unknown };

interface DecisionCase {
  name: string;
  facts: { action: string; resource?: string; context?: Record<string, string | null> };
  expected: Decision['decision'];
  matched?: string[];
}

/** One policy set and the requests decided against it. */
interface CorpusGroup {
  policies: PolicyEntry[];
  cases: DecisionCase[];
}

const DEFAULT_RESOURCE = 'acs:cams:*:1234567890123456:*';
const DEFAULT_CONTEXT: Record<string, string> = {
  'acs:SourceIp': '203.0.113.7',
  'acs:SecureTransport': 'true',
  'acs:CurrentTime': '2026-11-27T07:00:00Z',
};

function loadPolicy(entry: PolicyEntry): NamedPolicy {
  if (typeof entry === 'string') {
    const policy = systemPolicy(entry);
    if (!policy) throw new Error(`no system policy ${entry}`);
    return policy;
  }
  const parsed = parsePolicyDocument(JSON.stringify(entry.document));
  if (!parsed.ok) throw new Error(`policy ${entry.name} does not parse:\n${parsed.errors.join('\n')}`);
  return { name: entry.name, type: 'Custom', policy: parsed.policy };
}

function toFacts(facts: DecisionCase['facts']): RequestFacts {
  const context: Record<string, string | undefined> = { ...DEFAULT_CONTEXT };
  for (const [key, value] of Object.entries(facts.context ?? {})) {
    if (value === null) delete context[key];
    else context[key] = value;
  }
  return { action: facts.action, resource: facts.resource ?? DEFAULT_RESOURCE, context };
}

const corpusDir = new URL('./corpus/', import.meta.url);
const files = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
  .sort();

describe.each(files)('decision corpus %s', (file) => {
  const groups = JSON.parse(readFileSync(new URL(file, corpusDir), 'utf8')) as CorpusGroup[];
  const cases = groups.flatMap((g) => g.cases.map((c) => [c.name, g.policies, c] as const));

  it('has unique case names', () => {
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
  });

  it.each(cases)('%s', (_name, policies, c) => {
    const decision = evaluate(policies.map(loadPolicy), toFacts(c.facts));
    expect(decision.decision).toBe(c.expected);
    expect(decision.errors).toBeUndefined();
    if (c.matched) {
      expect(decision.matched.map((m) => `${m.policyName}#${m.statementIndex}`)).toEqual(c.matched);
    }
    for (const m of decision.matched) {
      expect(m.effect).toBe(c.expected === 'ExplicitDeny' ? 'Deny' : 'Allow');
    }
  });
});
