import type { Clock } from '../clock.js';
import { fail, invalidParameter } from '../errors/index.js';
import type { AccessKeyRecord, IamRepo, RamUser } from '../store/iam-repo.js';
import type { RamIdentityRepo, UserAttachment, UserChange } from '../store/ram-identity-repo.js';
import { NAME, type AccessKeyWithSecret, type IamService } from './iam-service.js';
import { isUniqueViolation, unlessExists } from '../store/unique-violation.js';
import { SYSTEM_POLICIES } from './policy/index.js';
import { policyRef } from './policy-ref.js';
import { pageAnswer, pageRequest, type Page } from './ram-paging.js';

export type { RamUser } from '../store/iam-repo.js';

/** RAM allows two access keys per user, and two for the account itself. */
export const MAX_ACCESS_KEYS = 2;
const MAX_DISPLAY_NAME = 128;
const MAX_COMMENTS = 128;

export interface NewUser {
  readonly name: string;
  readonly displayName?: string | undefined;
  readonly comments?: string | undefined;
  readonly email?: string | undefined;
  readonly mobilePhone?: string | undefined;
}

export type UserFields = Omit<UserChange, 'updatedAt'>;

function checkName(name: string, parameter = 'UserName'): void {
  if (!NAME.test(name)) {
    throw fail(
      'InvalidParameter.UserName.InvalidChars',
      `The parameter ${parameter} contains invalid characters: expected 1-64 of letters, digits, ".", "_", "@" and "-", not starting with a symbol, got "${name}".`,
    );
  }
}

function checkFields(f: UserFields | NewUser): void {
  if (f.displayName !== undefined && f.displayName.length > MAX_DISPLAY_NAME)
    throw invalidParameter('DisplayName', `expected at most ${MAX_DISPLAY_NAME} characters.`);
  if (f.comments !== undefined && f.comments.length > MAX_COMMENTS)
    throw invalidParameter('Comments', `expected at most ${MAX_COMMENTS} characters.`);
}

/**
 * RAM users and their access keys and policies as the RAM API (2015-05-01) manages them, on the same
 * tables and IamService as the CLI (`cams user`, `cams key`, `cams policy`): one identity, two doors.
 * Refusals are RAM's catalogued codes; nothing is written when input is bad.
 */
export class UserService {
  readonly #iam: IamService;
  readonly #repo: IamRepo;
  readonly #ram: RamIdentityRepo;
  readonly #clock: Clock;

  constructor(iam: IamService, repo: IamRepo, ram: RamIdentityRepo, clock: Clock) {
    this.#iam = iam;
    this.#repo = repo;
    this.#ram = ram;
    this.#clock = clock;
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  async create(accountId: string, input: NewUser): Promise<RamUser> {
    checkName(input.name);
    checkFields(input);
    if (await this.#repo.getUserByName(accountId, input.name))
      throw fail('EntityAlreadyExists.User', `The user already exists: ${input.name}.`);
    // A racing CreateUser of the same name makes the insert (or the CLI service's own check) fail.
    const created = await this.#iam
      .createUser(accountId, input.name, input.displayName || input.name)
      .catch(async (error: unknown) => {
        if (isUniqueViolation(error) || (await this.#repo.getUserByName(accountId, input.name)))
          throw fail('EntityAlreadyExists.User', `The user already exists: ${input.name}.`);
        throw error;
      });
    const rest = { comments: input.comments, email: input.email, mobilePhone: input.mobilePhone };
    if (Object.values(rest).some((v) => v !== undefined))
      await this.#ram.updateUser(accountId, created.id, { ...rest, updatedAt: created.updatedAt });
    return this.get(accountId, input.name);
  }

  async get(accountId: string, name: string): Promise<RamUser> {
    const user = await this.#repo.getUserByName(accountId, name);
    if (user === undefined) throw fail('EntityNotExist.User', `The user does not exist: ${name}.`);
    return user;
  }

  async list(
    accountId: string,
    page: Page,
  ): Promise<{ users: RamUser[]; isTruncated: boolean; marker?: string }> {
    const { after, limit } = pageRequest(page);
    const names = await this.#ram.listUsers(accountId, {
      ...(after === undefined ? {} : { after }),
      limit: limit + 1,
    });
    const { items, isTruncated, marker } = pageAnswer(names, limit, (n) => n);
    const users = await Promise.all(items.map((n) => this.get(accountId, n)));
    return { users, isTruncated, ...(marker === undefined ? {} : { marker }) };
  }

  async update(accountId: string, name: string, change: UserFields): Promise<RamUser> {
    if (change.name !== undefined) checkName(change.name, 'NewUserName');
    checkFields(change);
    const user = await this.get(accountId, name);
    if (
      change.name !== undefined &&
      change.name !== user.name &&
      (await this.#repo.getUserByName(accountId, change.name))
    )
      throw fail('EntityAlreadyExists.User', `The user already exists: ${change.name}.`);
    await unlessExists(
      () => this.#ram.updateUser(accountId, user.id, { ...change, updatedAt: this.#now() }),
      () => fail('EntityAlreadyExists.User', `The user already exists: ${change.name}.`),
    );
    this.#iam.keysChanged();
    return this.get(accountId, change.name ?? name);
  }

  /** Refused while the user has access keys or policies: RAM's DeleteConflict.User.* codes. */
  async delete(accountId: string, name: string): Promise<void> {
    const user = await this.get(accountId, name);
    if ((await this.#ram.keysOf(accountId, user.id)).length > 0) throw fail('DeleteConflict.User.AccessKey');
    if ((await this.#ram.userAttachments(accountId, user.id)).length > 0)
      throw fail('DeleteConflict.User.Policy');
    await this.#ram.deleteUser(accountId, user.id);
    this.#iam.keysChanged();
  }

  /** The user named, or the caller itself (a RAM user, or the account's root) when none is named. */
  async #owner(accountId: string, userName: string | undefined): Promise<RamUser | undefined> {
    return userName === undefined ? undefined : this.get(accountId, userName);
  }

  async createAccessKey(
    accountId: string,
    userName: string | undefined,
  ): Promise<AccessKeyWithSecret & { createdAt: string }> {
    const owner = await this.#owner(accountId, userName);
    if ((await this.#ram.keysOf(accountId, owner?.id)).length >= MAX_ACCESS_KEYS)
      throw fail('LimitExceeded.User.AccessKey');
    const key = await this.#iam.createAccessKey(
      accountId,
      owner === undefined ? {} : { userName: owner.name },
    );
    const stored = (await this.#ram.keysOf(accountId, owner?.id)).find((k) => k.id === key.accessKeyId)!;
    return { ...key, createdAt: stored.createdAt };
  }

  async listAccessKeys(accountId: string, userName: string | undefined): Promise<AccessKeyRecord[]> {
    const owner = await this.#owner(accountId, userName);
    return this.#ram.keysOf(accountId, owner?.id);
  }

  async updateAccessKey(
    accountId: string,
    userName: string | undefined,
    keyId: string,
    status: 'Active' | 'Inactive',
  ): Promise<void> {
    const owner = await this.#owner(accountId, userName);
    if (!(await this.#ram.setKeyStatus(accountId, owner?.id, keyId, status)))
      throw fail('EntityNotExist.User.AccessKey');
    this.#iam.keysChanged();
  }

  async deleteAccessKey(accountId: string, userName: string | undefined, keyId: string): Promise<void> {
    const owner = await this.#owner(accountId, userName);
    if (!(await this.#ram.deleteKey(accountId, owner?.id, keyId)))
      throw fail('EntityNotExist.User.AccessKey');
    this.#iam.keysChanged();
  }

  async attachPolicy(
    accountId: string,
    userName: string,
    policyType: string,
    policyName: string,
  ): Promise<void> {
    const ref = await policyRef(this.#repo, accountId, policyType, policyName);
    const user = await this.get(accountId, userName);
    const attached = await this.#ram.attachUserPolicy(
      accountId,
      user.id,
      { policyType: ref.policyType, policyName: ref.policyName },
      this.#now(),
    );
    if (!attached) throw fail('EntityAlreadyExists.User.Policy');
  }

  async detachPolicy(
    accountId: string,
    userName: string,
    policyType: string,
    policyName: string,
  ): Promise<void> {
    const ref = await policyRef(this.#repo, accountId, policyType, policyName);
    const user = await this.get(accountId, userName);
    const detached = await this.#repo.detachPolicy(accountId, user.id, {
      policyType: ref.policyType,
      policyName: ref.policyName,
    });
    if (!detached) throw fail('EntityNotExist.User.Policy');
  }

  /** The user's policies, each with its description and default version. */
  async listPolicies(
    accountId: string,
    userName: string,
  ): Promise<Array<UserAttachment & { description: string; defaultVersion: string }>> {
    const user = await this.get(accountId, userName);
    return (await this.#ram.userAttachments(accountId, user.id)).map((a) => ({
      ...a,
      description:
        a.policyType === 'System'
          ? (SYSTEM_POLICIES.find((p) => p.name === a.policyName)?.description ?? '')
          : (a.description ?? ''),
      defaultVersion: a.defaultVersion ?? 'v1',
    }));
  }
}
