import type { Clock } from '../clock.js';
import { fail, type ServiceError } from '../errors/index.js';
import type { IamRepo } from '../store/iam-repo.js';
import type { RamRolesRepo } from '../store/ram-roles-repo.js';
import type { PolicyVersionRecord, RamIdentityRepo } from '../store/ram-identity-repo.js';
import { MAX_POLICY_DOCUMENT_LENGTH, parsePolicyDocument, SYSTEM_POLICIES } from './policy/index.js';
import { policyRef } from './policy-ref.js';
import { unlessExists } from '../store/unique-violation.js';
import { pageAnswer, pageRequest, type Page } from './ram-paging.js';

/** PolicyName: 1-128 of letters, digits and `-` (CreatePolicy's parameter table). */
const POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;
/** RAM keeps at most five versions of a custom policy. */
export const MAX_POLICY_VERSIONS = 5;

export interface PolicyView {
  policyType: 'System' | 'Custom';
  policyName: string;
  description: string;
  defaultVersion: string;
  document: string;
  createdAt: string;
  updatedAt: string;
  attachmentCount: number;
}

export interface VersionView extends PolicyVersionRecord {
  isDefault: boolean;
}

/** A document the policy grammar accepts, or RAM's refusal naming every problem. */
function checkDocument(document: string): void {
  if (Array.from(document).length > MAX_POLICY_DOCUMENT_LENGTH)
    throw fail(
      'InvalidParameter.PolicyDocument',
      `The parameter PolicyDocument is invalid: longer than ${MAX_POLICY_DOCUMENT_LENGTH} characters.`,
    );
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok)
    throw fail('MalformedPolicyDocument', `The policy document is malformed: ${parsed.errors.join('; ')}.`);
}

const versionNumber = (id: string) => Number(/^v(\d+)$/.exec(id)?.[1] ?? 0);

/** A date of the system policies (Alibaba's are older than any account here). */
const SYSTEM_DATE = '2021-08-04T00:00:00Z';

/**
 * RAM policies as the RAM API (2015-05-01) manages them: custom policies with up to five versions, the
 * system policies read-only, and where each is attached. The same tables as the CLI's `cams policy`.
 */
export class RamPolicyService {
  readonly #repo: IamRepo;
  readonly #ram: RamIdentityRepo;
  readonly #roles: RamRolesRepo;
  readonly #clock: Clock;

  constructor(repo: IamRepo, ram: RamIdentityRepo, roles: RamRolesRepo, clock: Clock) {
    this.#repo = repo;
    this.#ram = ram;
    this.#roles = roles;
    this.#clock = clock;
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  async #attachmentCount(
    accountId: string,
    policyType: 'System' | 'Custom',
    policyName: string,
  ): Promise<number> {
    const a = { policyType, policyName };
    const [users, roles] = await Promise.all([
      this.#ram.usersWithPolicy(accountId, a),
      this.#roles.rolesWithPolicy(accountId, a),
    ]);
    return users.length + roles.length;
  }

  async create(accountId: string, name: string, document: string, description = ''): Promise<PolicyView> {
    if (!POLICY_NAME.test(name))
      throw fail(
        'InvalidParameter.PolicyName.InvalidChars',
        `The parameter PolicyName contains invalid characters: expected 1-128 of letters, digits and "-", got "${name}".`,
      );
    checkDocument(document);
    if (SYSTEM_POLICIES.some((p) => p.name === name) || (await this.#repo.getCustomPolicy(accountId, name)))
      throw fail('EntityAlreadyExists.Policy', `The policy already exists: ${name}.`);
    await unlessExists(
      () => this.#repo.insertCustomPolicy({ accountId, name, description, document, createdAt: this.#now() }),
      () => fail('EntityAlreadyExists.Policy', `The policy already exists: ${name}.`),
    );
    return this.get(accountId, 'Custom', name);
  }

  async get(accountId: string, policyType: string, name: string): Promise<PolicyView> {
    const ref = await policyRef(this.#repo, accountId, policyType, name);
    const attachmentCount = await this.#attachmentCount(accountId, ref.policyType, name);
    if (ref.policyType === 'System') {
      return {
        ...ref,
        defaultVersion: 'v1',
        createdAt: SYSTEM_DATE,
        updatedAt: SYSTEM_DATE,
        attachmentCount,
      };
    }
    const custom = (await this.#repo.getCustomPolicy(accountId, name))!;
    return {
      ...ref,
      defaultVersion: (await this.#ram.policyDefaultVersion(accountId, name)) ?? 'v1',
      createdAt: custom.createdAt,
      updatedAt: (await this.#ram.policyUpdatedAt(accountId, name)) ?? custom.createdAt,
      attachmentCount,
    };
  }

  /** System and custom policies (or one type), in type then name order, paged. */
  async list(
    accountId: string,
    policyType: string | undefined,
    page: Page,
  ): Promise<{ policies: PolicyView[]; isTruncated: boolean; marker?: string }> {
    if (policyType !== undefined && policyType !== 'System' && policyType !== 'Custom')
      throw fail('InvalidParameter.PolicyType');
    const { after, limit } = pageRequest(page);
    const keys: Array<{ key: string; type: 'System' | 'Custom'; name: string }> = [];
    if (policyType !== 'Custom')
      for (const p of SYSTEM_POLICIES) keys.push({ key: `System:${p.name}`, type: 'System', name: p.name });
    if (policyType !== 'System')
      for (const p of await this.#repo.listCustomPolicies(accountId))
        keys.push({ key: `Custom:${p.name}`, type: 'Custom', name: p.name });
    keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const rest = after === undefined ? keys : keys.filter((k) => k.key > after);
    const { items, isTruncated, marker } = pageAnswer(rest.slice(0, limit + 1), limit, (k) => k.key);
    const policies = await Promise.all(items.map((k) => this.get(accountId, k.type, k.name)));
    return { policies, isTruncated, ...(marker === undefined ? {} : { marker }) };
  }

  async #custom(accountId: string, name: string) {
    const custom = await this.#repo.getCustomPolicy(accountId, name);
    if (custom === undefined)
      throw fail('EntityNotExist.Policy', `The policy does not exist: Custom ${name}.`);
    return custom;
  }

  async versions(accountId: string, name: string): Promise<VersionView[]> {
    await this.#custom(accountId, name);
    const defaultVersion = (await this.#ram.policyDefaultVersion(accountId, name)) ?? 'v1';
    return (await this.#ram.policyVersions(accountId, name)).map((v) => ({
      ...v,
      isDefault: v.versionId === defaultVersion,
    }));
  }

  /** The default version of a policy, system or custom (GetPolicy's DefaultPolicyVersion). */
  async defaultVersion(accountId: string, policy: PolicyView): Promise<VersionView> {
    if (policy.policyType === 'System')
      return { versionId: 'v1', document: policy.document, createdAt: policy.createdAt, isDefault: true };
    return (await this.versions(accountId, policy.policyName)).find((v) => v.isDefault)!;
  }

  /**
   * A new version; with `rotate` the oldest non-default version makes room when five exist
   * (RotateStrategy DeleteOldestNonDefaultVersionWhenLimitExceeded), else LimitExceeded.Policy.Version.
   */
  async createVersion(
    accountId: string,
    name: string,
    document: string,
    opts: { setAsDefault: boolean; rotate: boolean },
  ): Promise<VersionView> {
    checkDocument(document);
    const versions = await this.versions(accountId, name);
    let oldest: VersionView | undefined;
    if (versions.length >= MAX_POLICY_VERSIONS) {
      oldest = opts.rotate ? versions.find((v) => !v.isDefault) : undefined;
      if (oldest === undefined) throw fail('LimitExceeded.Policy.Version');
    }
    const now = this.#now();
    const versionId = `v${Math.max(0, ...versions.map((v) => versionNumber(v.versionId))) + 1}`;
    // Two versions made at once race for the same id: the loser is told to retry, nothing half-written.
    await unlessExists(
      () => this.#ram.insertPolicyVersion(accountId, name, { versionId, document, createdAt: now }),
      () => fail('ServiceUnavailable'),
    );
    if (oldest !== undefined) await this.#ram.deletePolicyVersion(accountId, name, oldest.versionId);
    if (opts.setAsDefault) await this.#ram.setDefaultVersion(accountId, name, { versionId, document }, now);
    return { versionId, document, createdAt: now, isDefault: opts.setAsDefault };
  }

  async setDefaultVersion(accountId: string, name: string, versionId: string): Promise<void> {
    const version = (await this.versions(accountId, name)).find((v) => v.versionId === versionId);
    if (version === undefined)
      throw fail('EntityNotExist.Policy.Version', `The policy version does not exist: ${name} ${versionId}.`);
    await this.#ram.setDefaultVersion(accountId, name, version, this.#now());
  }

  /** Refused while attached or while it has versions besides the default (RAM's DeleteConflict.Policy.*). */
  async delete(accountId: string, name: string): Promise<void> {
    await this.#custom(accountId, name);
    const a = { policyType: 'Custom' as const, policyName: name };
    const conflict = (code: Parameters<typeof fail>[0]): ServiceError => fail(code);
    if ((await this.#ram.usersWithPolicy(accountId, a)).length > 0)
      throw conflict('DeleteConflict.Policy.User');
    if ((await this.#roles.rolesWithPolicy(accountId, a)).length > 0)
      throw conflict('DeleteConflict.Policy.Role');
    if ((await this.#ram.policyVersions(accountId, name)).length > 1)
      throw conflict('DeleteConflict.Policy.Version');
    await this.#ram.deletePolicy(accountId, name);
  }

  /** Where a policy is attached: users and roles (this service has no groups). */
  async entities(accountId: string, policyType: string, name: string) {
    const ref = await policyRef(this.#repo, accountId, policyType, name);
    const a = { policyType: ref.policyType, policyName: name };
    const [users, roles] = await Promise.all([
      this.#ram.usersWithPolicy(accountId, a),
      this.#roles.rolesWithPolicy(accountId, a),
    ]);
    return { users, roles };
  }
}
