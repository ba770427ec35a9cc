/**
 * A RAM role's trust policy (its AssumeRolePolicyDocument): who may assume the role. The grammar of
 * identity policies (cams-api.md §4.1) with a `Principal` in place of `Resource`:
 *
 *   { "Version": "1", "Statement": [ { "Effect": "Allow"|"Deny", "Action": "sts:AssumeRole",
 *     "Principal": { "RAM": [...], "Service": [...], "Federated": [...] }, "Condition"?: {...} } ] }
 *
 * `RAM` names accounts (`acs:ram::<uid>:root`: any identity of that account), RAM users
 * (`acs:ram::<uid>:user/<name>`) and roles (`acs:ram::<uid>:role/<name>`, whose sessions may chain);
 * `Service` names cloud services (`ecs.aliyuncs.com`); `Federated` identity providers
 * (`acs:ram::<uid>:saml-provider/<name>`, `oidc-provider/<name>`). Parsing and evaluation are pure; a
 * broken document is reported with every problem, never thrown.
 */
import { conditionsHold } from './conditions.js';
import { actionMatches } from './match.js';
import { describe, isPlainObject, parseConditionBlock, stringList } from './parse-condition.js';
import { didYouMean } from './suggest.js';
import type { Condition, Effect } from './types.js';

/** Alibaba's limit on the length of an AssumeRolePolicyDocument (CreateRole's parameter table). */
export const MAX_TRUST_POLICY_LENGTH = 2048;

export interface TrustStatement {
  effect: Effect;
  actions: string[];
  principal: { ram: string[]; service: string[]; federated: string[] };
  conditions: Condition[];
}

export interface TrustPolicy {
  version: '1';
  statements: TrustStatement[];
}

export type TrustParseResult = { ok: true; policy: TrustPolicy } | { ok: false; errors: string[] };

const STATEMENT_KEYS = ['Effect', 'Action', 'Principal', 'Condition'];
const PRINCIPAL_KEYS = ['RAM', 'Service', 'Federated'];
const ACTION = /^[A-Za-z0-9*][A-Za-z0-9_*-]*:[A-Za-z0-9_.*-]+$/;
/** An account, a RAM user or a RAM role; names are matched without case, as RAM compares them. */
const RAM_PRINCIPAL = /^acs:ram::(\d{1,32}):(root|(user|role)\/[A-Za-z0-9._@-]{1,64})$/i;
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.aliyuncs\.com$/;
const FEDERATED_PRINCIPAL = /^acs:ram::\d{1,32}:(saml|oidc)-provider\/[A-Za-z0-9._-]{1,128}$/;

const checkAction = (a: string) =>
  a === '*' || ACTION.test(a) ? undefined : 'is not of the form "<service>:<Action>" (e.g. "sts:AssumeRole")';
const checkRam = (p: string) =>
  RAM_PRINCIPAL.test(p)
    ? undefined
    : 'is not "acs:ram::<account-id>:root", "acs:ram::<account-id>:user/<name>" or "acs:ram::<account-id>:role/<name>"';
const checkService = (p: string) =>
  SERVICE_PRINCIPAL.test(p) ? undefined : 'is not a service of the form "<name>.aliyuncs.com"';
const checkFederated = (p: string) =>
  FEDERATED_PRINCIPAL.test(p)
    ? undefined
    : 'is not "acs:ram::<account-id>:saml-provider/<name>" or "acs:ram::<account-id>:oidc-provider/<name>"';

function parsePrincipal(raw: unknown, path: string, errors: string[]): TrustStatement['principal'] {
  const principal = { ram: [] as string[], service: [] as string[], federated: [] as string[] };
  if (!isPlainObject(raw)) {
    const got = raw === undefined ? 'but it is missing' : `got ${describe(raw)}`;
    errors.push(`${path} must be an object with RAM, Service or Federated, ${got}`);
    return principal;
  }
  const keys = Object.keys(raw);
  if (keys.length === 0) errors.push(`${path} must name at least one of RAM, Service or Federated`);
  for (const key of keys) {
    if (!PRINCIPAL_KEYS.includes(key)) {
      errors.push(
        `${path}: unknown key ${JSON.stringify(key)}${didYouMean(key, PRINCIPAL_KEYS) || ` (allowed: ${PRINCIPAL_KEYS.join(', ')})`}`,
      );
    }
  }
  if (Object.hasOwn(raw, 'RAM')) principal.ram = stringList(raw['RAM'], `${path}.RAM`, errors, checkRam);
  if (Object.hasOwn(raw, 'Service'))
    principal.service = stringList(raw['Service'], `${path}.Service`, errors, checkService);
  if (Object.hasOwn(raw, 'Federated'))
    principal.federated = stringList(raw['Federated'], `${path}.Federated`, errors, checkFederated);
  return principal;
}

function parseStatement(raw: unknown, path: string, errors: string[]): TrustStatement | undefined {
  if (!isPlainObject(raw)) {
    errors.push(`${path} must be an object, got ${describe(raw)}`);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.includes(key)) {
      const hint =
        key === 'Resource' || key === 'NotResource' || key === 'NotAction'
          ? ` (a trust policy names a Principal, not ${key})`
          : didYouMean(key, STATEMENT_KEYS) || ` (allowed: ${STATEMENT_KEYS.join(', ')})`;
      errors.push(`${path}: unknown key ${JSON.stringify(key)}${hint}`);
    }
  }
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    const got = effect === undefined ? 'but it is missing' : `got ${describe(effect)}`;
    errors.push(`${path}.Effect must be "Allow" or "Deny", ${got}`);
  }
  if (!Object.hasOwn(raw, 'Action')) errors.push(`${path}.Action is missing (e.g. "sts:AssumeRole")`);
  const actions = Object.hasOwn(raw, 'Action')
    ? stringList(raw['Action'], `${path}.Action`, errors, checkAction)
    : [];
  const principal = parsePrincipal(raw['Principal'], `${path}.Principal`, errors);
  const conditions = Object.hasOwn(raw, 'Condition')
    ? parseConditionBlock(raw['Condition'], `${path}.Condition`, errors)
    : [];
  return { effect: effect as Effect, actions, principal, conditions };
}

export function parseTrustPolicy(text: string): TrustParseResult {
  const errors: string[] = [];
  const length = Array.from(text).length;
  if (length > MAX_TRUST_POLICY_LENGTH) {
    errors.push(
      `trust policy is ${length} characters long; Alibaba Cloud limits it to ${MAX_TRUST_POLICY_LENGTH}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [...errors, `trust policy is not valid JSON: ${(e as Error).message}`] };
  }
  if (!isPlainObject(doc)) {
    return { ok: false, errors: [...errors, `trust policy must be a JSON object, got ${describe(doc)}`] };
  }
  for (const key of Object.keys(doc)) {
    if (key !== 'Version' && key !== 'Statement')
      errors.push(`trust policy: unknown key ${JSON.stringify(key)}`);
  }
  if (doc['Version'] !== '1') {
    const got = doc['Version'] === undefined ? 'but it is missing' : `got ${describe(doc['Version'])}`;
    errors.push(`Version must be "1", ${got}`);
  }
  const raw = doc['Statement'];
  const statements: TrustStatement[] = [];
  if (Array.isArray(raw)) {
    if (raw.length === 0) errors.push('Statement must not be an empty array');
    raw.forEach((s, i) => {
      const statement = parseStatement(s, `Statement[${i}]`, errors);
      if (statement) statements.push(statement);
    });
  } else if (isPlainObject(raw)) {
    const statement = parseStatement(raw, 'Statement', errors);
    if (statement) statements.push(statement);
  } else {
    const got = raw === undefined ? 'but it is missing' : `got ${describe(raw)}`;
    errors.push(`Statement must be an object or an array of statements, ${got}`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, policy: { version: '1', statements } };
}

/**
 * Who asks to assume the role. A RAM identity: its account's UID and its ARN (`acs:ram::<uid>:root`,
 * `acs:ram::<uid>:user/<name>`, or `acs:ram::<uid>:assumed-role/<role>/<session>` for a role's session);
 * or a cloud service by its name.
 */
export type TrustPrincipal =
  | { readonly kind: 'ram'; readonly accountId: string; readonly arn: string }
  | { readonly kind: 'service'; readonly service: string };

export interface TrustRequest {
  readonly principal: TrustPrincipal;
  /** The action asked for; `sts:AssumeRole` unless given. */
  readonly action?: string;
  /** Condition keys (cams-api.md §4.4): `acs:SourceIp`, `acs:CurrentTime`, ... */
  readonly context?: Record<string, string | undefined>;
}

export interface TrustDecision {
  decision: 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';
  /** Indexes of the statements that decided: the Deny ones for ExplicitDeny, the Allow ones for Allow. */
  matched: number[];
}

/** The identity an ARN names, for comparison: an assumed-role session is its role. */
function ramIdentity(arn: string): { accountId: string; entity: string } | undefined {
  const m = /^acs:ram::(\d+):(.+)$/i.exec(arn);
  if (m === null) return undefined;
  const entity = m[2]!.toLowerCase();
  const session = /^assumed-role\/([^/]+)\/.+$/.exec(entity);
  return { accountId: m[1]!, entity: session === null ? entity : `role/${session[1]}` };
}

function principalListed(statement: TrustStatement, principal: TrustPrincipal): boolean {
  if (principal.kind === 'service') return statement.principal.service.includes(principal.service);
  const caller = ramIdentity(principal.arn);
  if (caller === undefined || caller.accountId !== principal.accountId) return false;
  return statement.principal.ram.some((entry) => {
    const listed = ramIdentity(entry);
    if (listed === undefined || listed.accountId !== caller.accountId) return false;
    // The account itself trusts every identity of the account (its own policies then decide).
    return listed.entity === 'root' || listed.entity === caller.entity;
  });
}

/**
 * Whether the trust policy lets the principal assume the role: any matching Deny ⇒ ExplicitDeny; else
 * any matching Allow ⇒ Allow; else ImplicitDeny, as identity policies are evaluated (cams-api.md §4.2).
 */
export function evaluateTrustPolicy(policy: TrustPolicy, request: TrustRequest): TrustDecision {
  const action = request.action ?? 'sts:AssumeRole';
  const allows: number[] = [];
  const denies: number[] = [];
  policy.statements.forEach((statement, i) => {
    if (!statement.actions.some((pattern) => actionMatches(pattern, action))) return;
    if (!principalListed(statement, request.principal)) return;
    if (!conditionsHold(statement.conditions, request.context ?? {}).holds) return;
    (statement.effect === 'Allow' ? allows : denies).push(i);
  });
  if (denies.length > 0) return { decision: 'ExplicitDeny', matched: denies };
  if (allows.length > 0) return { decision: 'Allow', matched: allows };
  return { decision: 'ImplicitDeny', matched: [] };
}
