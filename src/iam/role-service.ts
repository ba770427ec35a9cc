import type { Clock } from '../clock.js';
import { fail, invalidParameter } from '../errors/index.js';
import type { IamRepo } from '../store/iam-repo.js';
import {
  roleNameKey,
  type RamRole,
  type RamRolesRepo,
  type RoleAttachment,
} from '../store/ram-roles-repo.js';
import { newRoleId } from './ids.js';
import { unlessExists } from '../store/unique-violation.js';

export type { RamRole, RoleAttachment } from '../store/ram-roles-repo.js';
import {
  evaluateTrustPolicy,
  parsePolicyDocument,
  parseTrustPolicy,
  SYSTEM_POLICIES,
  systemPolicy,
  type NamedPolicy,
  type TrustDecision,
  type TrustPolicy,
  type TrustRequest,
} from './policy/index.js';
import { policyRef } from './policy-ref.js';
import { pageAnswer, pageRequest, type Page } from './ram-paging.js';

/** RoleName: 1-64 of letters, digits, `.` and `-` (CreateRole's parameter table). */
const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;
const MAX_DESCRIPTION = 1024;
/** MaxSessionDuration: 3600..43200 seconds, 3600 unless given (CreateRole's parameter table). */
export const MIN_SESSION_DURATION = 3600;
export const MAX_SESSION_DURATION = 43200;

/** `acs:ram::<uid>:role/<lower-cased name>`: how RAM names a role. */
export const roleArn = (role: Pick<RamRole, 'accountId' | 'name'>): string =>
  `acs:ram::${role.accountId}:role/${role.name.toLowerCase()}`;

const ROLE_ARN = /^acs:ram::(\d{1,32}):role\/([A-Za-z0-9.-]{1,64})$/;

/** The account and role name an ARN names, or undefined for anything else. */
export function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const m = ROLE_ARN.exec(arn);
  return m === null ? undefined : { accountId: m[1]!, roleName: m[2]! };
}

export interface NewRole {
  readonly name: string;
  readonly trustPolicy: string;
  readonly description?: string | undefined;
  readonly maxSessionDuration?: number | undefined;
}

export interface RoleChange {
  readonly trustPolicy?: string | undefined;
  readonly description?: string | undefined;
  readonly maxSessionDuration?: number | undefined;
}

function checkName(name: string): void {
  if (!ROLE_NAME.test(name)) {
    throw fail(
      'InvalidParameter.RoleName.InvalidChars',
      `The parameter RoleName contains invalid characters: expected 1-64 of letters, digits, "." and "-", got "${name}".`,
    );
  }
}

function checkTrustPolicy(document: string): TrustPolicy {
  const parsed = parseTrustPolicy(document);
  if (!parsed.ok)
    throw fail('MalformedPolicyDocument', `The policy document is malformed: ${parsed.errors.join('; ')}.`);
  return parsed.policy;
}

function checkDuration(seconds: number | undefined): void {
  if (seconds === undefined) return;
  if (!Number.isInteger(seconds) || seconds < MIN_SESSION_DURATION || seconds > MAX_SESSION_DURATION) {
    throw fail(
      'InvalidParameter.MaxSessionDuration',
      `The parameter MaxSessionDuration is invalid: expected an integer from ${MIN_SESSION_DURATION} to ${MAX_SESSION_DURATION}, got ${seconds}.`,
    );
  }
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > MAX_DESCRIPTION)
    throw invalidParameter('Description', `expected at most ${MAX_DESCRIPTION} characters.`);
}

/**
 * RAM roles: who may assume each (its trust policy) and what a session of it may do (its attached
 * policies). Every operation takes the account first; every refusal is a catalogued RAM error, and
 * nothing is written when input is bad.
 */
export class RoleService {
  readonly #roles: RamRolesRepo;
  readonly #iam: IamRepo;
  readonly #clock: Clock;

  constructor(roles: RamRolesRepo, iam: IamRepo, clock: Clock) {
    this.#roles = roles;
    this.#iam = iam;
    this.#clock = clock;
  }

  /** RAM's date form: ISO 8601 in UTC, to the second. */
  #now(): string {
    return new Date(this.#clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  async create(accountId: string, input: NewRole): Promise<RamRole> {
    checkName(input.name);
    checkTrustPolicy(input.trustPolicy);
    checkDuration(input.maxSessionDuration);
    checkDescription(input.description);
    if (await this.#roles.getRoleByName(accountId, input.name))
      throw fail('EntityAlreadyExists.Role', `The role already exists: ${input.name}.`);
    const now = this.#now();
    const role: RamRole = {
      id: newRoleId(),
      accountId,
      name: input.name,
      description: input.description ?? '',
      trustPolicy: input.trustPolicy,
      maxSessionDuration: input.maxSessionDuration ?? MIN_SESSION_DURATION,
      createdAt: now,
      updatedAt: now,
    };
    await unlessExists(
      () => this.#roles.insertRole(role),
      () => fail('EntityAlreadyExists.Role', `The role already exists: ${input.name}.`),
    );
    return role;
  }

  async get(accountId: string, name: string): Promise<RamRole> {
    checkName(name);
    const role = await this.#roles.getRoleByName(accountId, name);
    if (role === undefined) throw fail('EntityNotExist.Role', `The role does not exist: ${name}.`);
    return role;
  }

  async list(
    accountId: string,
    page: Page,
  ): Promise<{ roles: RamRole[]; isTruncated: boolean; marker: string | undefined }> {
    const { after, limit } = pageRequest(page);
    const rows = await this.#roles.listRoles(accountId, {
      ...(after === undefined ? {} : { after }),
      limit: limit + 1,
    });
    const { items, isTruncated, marker } = pageAnswer(rows, limit, (r) => roleNameKey(r.name));
    return { roles: items, isTruncated, marker };
  }

  async update(accountId: string, name: string, change: RoleChange): Promise<RamRole> {
    if (change.trustPolicy !== undefined) checkTrustPolicy(change.trustPolicy);
    checkDuration(change.maxSessionDuration);
    checkDescription(change.description);
    const role = await this.get(accountId, name);
    await this.#roles.updateRole(accountId, role.id, { ...change, updatedAt: this.#now() });
    return this.get(accountId, name);
  }

  /** DeleteConflict.Role.Policy while a policy is attached: detach them first, as RAM requires. */
  async delete(accountId: string, name: string): Promise<void> {
    const role = await this.get(accountId, name);
    if (!(await this.#roles.deleteRoleWithoutPolicies(accountId, role.id))) {
      throw fail('DeleteConflict.Role.Policy');
    }
  }

  async attachPolicy(
    accountId: string,
    roleName: string,
    policyType: string,
    policyName: string,
  ): Promise<void> {
    const ref = await policyRef(this.#iam, accountId, policyType, policyName);
    const role = await this.get(accountId, roleName);
    const attached = await this.#roles.attachPolicy(
      accountId,
      role.id,
      { policyType: ref.policyType, policyName: ref.policyName },
      this.#now(),
    );
    if (!attached) throw fail('EntityAlreadyExists.Role.Policy');
  }

  async detachPolicy(
    accountId: string,
    roleName: string,
    policyType: string,
    policyName: string,
  ): Promise<void> {
    const ref = await policyRef(this.#iam, accountId, policyType, policyName);
    const role = await this.get(accountId, roleName);
    const detached = await this.#roles.detachPolicy(accountId, role.id, {
      policyType: ref.policyType,
      policyName: ref.policyName,
    });
    if (!detached) throw fail('EntityNotExist.Role.Policy');
  }

  /** The role's policies, each with its description (a system policy's is SYSTEM_POLICIES'). */
  async listPolicies(
    accountId: string,
    roleName: string,
  ): Promise<Array<RoleAttachment & { description: string }>> {
    const role = await this.get(accountId, roleName);
    const attached = await this.#roles.listRolePolicies(accountId, role.id);
    return attached.map((a) => ({
      ...a,
      description:
        a.policyType === 'System'
          ? (SYSTEM_POLICIES.find((p) => p.name === a.policyName)?.description ?? '')
          : (a.description ?? ''),
    }));
  }

  /**
   * The role an ARN names, looked up in the account the ARN names (a role may trust another account's
   * identities), or undefined when there is none.
   */
  async findByArn(arn: string): Promise<RamRole | undefined> {
    const named = parseRoleArn(arn);
    return named && this.#roles.getRoleByName(named.accountId, named.roleName);
  }

  /** Whether the role's trust policy lets the principal assume it (trust-policy.ts). */
  mayAssume(role: RamRole, request: TrustRequest): TrustDecision {
    const parsed = parseTrustPolicy(role.trustPolicy);
    // Validated on every write; a document that no longer parses trusts nobody.
    return parsed.ok
      ? evaluateTrustPolicy(parsed.policy, request)
      : { decision: 'ImplicitDeny', matched: [] };
  }

  /** The policies a session of the role is evaluated against. */
  async policiesOf(role: Pick<RamRole, 'accountId' | 'id'>): Promise<NamedPolicy[]> {
    const attached = await this.#roles.listRolePolicies(role.accountId, role.id);
    const policies: NamedPolicy[] = [];
    for (const a of attached) {
      if (a.policyType === 'System') {
        const p = systemPolicy(a.policyName);
        if (p) policies.push(p);
      } else if (a.document !== undefined) {
        const parsed = parsePolicyDocument(a.document);
        if (parsed.ok) policies.push({ name: a.policyName, type: 'Custom', policy: parsed.policy });
      }
    }
    return policies;
  }
}
