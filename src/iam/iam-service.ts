import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Account, AccessKeyRecord, IamRepo, RamUser } from '../store/iam-repo.js';
import { TableCache } from '../store/table-cache.js';
import { AdminError } from '../errors/index.js';
import { newAccessKeyId, newAccessKeySecret, newAccountId, newUserId } from './ids.js';
import { parsePolicyDocument, SYSTEM_POLICIES, systemPolicy, type NamedPolicy } from './policy/index.js';
import type { AssumedRole } from './assumed-role.js';

export interface AccessKeyWithSecret {
  accessKeyId: string;
  accessKeySecret: string;
  accountId: string;
  userId: string | undefined;
}

/** The authenticated principal behind an access key. */
export interface ResolvedKey {
  key: AccessKeyRecord;
  secret: string;
  account: Account;
  user: RamUser | undefined;
  /** Set for a temporary credential (STS AssumeRole): the caller is the assumed role, never the root. */
  session?: AssumedRole;
}

const ACCOUNT_ID = /^[1-9]\d{15}$/;
const KEY_CACHE_MS = 500;
const KEY_CACHE_ENTRIES = 10_000;
export const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const ACCESS_KEY_ID = /^[A-Za-z0-9]{8,64}$/;

/** Accounts, RAM users, access keys and policies (cams-api.md §4). */
export class IamService {
  readonly #repo: IamRepo;
  readonly #box: SecretBox;
  readonly #clock: Clock;
  readonly #keyCache: TableCache<ResolvedKey>;

  constructor(repo: IamRepo, box: SecretBox, clock: Clock) {
    this.#repo = repo;
    this.#box = box;
    this.#clock = clock;
    // What a resolved key is made of; a change to any of them is seen at once on the embedded store.
    this.#keyCache = new TableCache(repo.store, ['access_keys', 'accounts', 'ram_users'], {
      maxEntries: KEY_CACHE_ENTRIES,
      fallbackTtlMs: KEY_CACHE_MS,
    });
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  async createAccount(opts: { name: string; subscribed: boolean; id?: string }): Promise<Account> {
    const id = opts.id ?? newAccountId();
    if (!ACCOUNT_ID.test(id)) throw new AdminError(`account ID must be 16 digits, got "${id}"`);
    if (await this.#repo.getAccount(id)) throw new AdminError(`account ${id} already exists`);
    const account: Account = { id, name: opts.name, subscribed: opts.subscribed, createdAt: this.#now() };
    await this.#repo.insertAccount(account);
    return account;
  }

  async account(accountId: string): Promise<Account> {
    const account = await this.#repo.getAccount(accountId);
    if (account === undefined) throw new AdminError(`no account ${accountId} (see: cams account list)`);
    return account;
  }

  listAccounts(): Promise<Account[]> {
    return this.#repo.listAccounts();
  }

  async setSubscribed(accountId: string, subscribed: boolean): Promise<Account> {
    await this.account(accountId);
    this.#keyCache.clear();
    await this.#repo.setSubscribed(accountId, subscribed);
    return this.account(accountId);
  }

  async createUser(accountId: string, name: string, displayName?: string): Promise<RamUser> {
    await this.account(accountId);
    if (!NAME.test(name))
      throw new AdminError(`user name must be 1-64 of letters, digits, . _ @ -, got "${name}"`);
    if (await this.#repo.getUserByName(accountId, name)) {
      throw new AdminError(`account ${accountId} already has a RAM user named ${name}`);
    }
    const now = this.#now();
    const user: RamUser = {
      id: newUserId(),
      accountId,
      name,
      displayName: displayName ?? name,
      createdAt: now,
      comments: '',
      email: '',
      mobilePhone: '',
      updatedAt: now,
    };
    await this.#repo.insertUser(user);
    return user;
  }

  async user(accountId: string, name: string): Promise<RamUser> {
    const user = await this.#repo.getUserByName(accountId, name);
    if (user === undefined)
      throw new AdminError(`account ${accountId} has no RAM user named ${name} (see: cams user list)`);
    return user;
  }

  async listUsers(accountId: string): Promise<RamUser[]> {
    await this.account(accountId);
    return this.#repo.listUsers(accountId);
  }

  /** A new key for the account (root) or one of its RAM users. The secret is returned once. */
  async createAccessKey(
    accountId: string,
    opts: { userName?: string; fixed?: { id: string; secret: string } } = {},
  ): Promise<AccessKeyWithSecret> {
    await this.account(accountId);
    const user = opts.userName === undefined ? undefined : await this.user(accountId, opts.userName);
    const id = opts.fixed?.id ?? newAccessKeyId();
    const secret = opts.fixed?.secret ?? newAccessKeySecret();
    if (!ACCESS_KEY_ID.test(id))
      throw new AdminError(`access key ID must be 8-64 letters or digits, got "${id}"`);
    if (secret.length < 16) throw new AdminError('access key secret must be at least 16 characters');
    if (await this.#repo.findAccessKey(id)) throw new AdminError(`access key ${id} already exists`);
    await this.#repo.insertAccessKey({
      id,
      accountId,
      userId: user?.id,
      secretSealed: this.#box.seal(secret, `access_key:${id}`),
      status: 'Active',
      createdAt: this.#now(),
    });
    return { accessKeyId: id, accessKeySecret: secret, accountId, userId: user?.id };
  }

  async listAccessKeys(accountId: string): Promise<AccessKeyRecord[]> {
    await this.account(accountId);
    return this.#repo.listAccessKeys(accountId);
  }

  async setAccessKeyStatus(
    accountId: string,
    accessKeyId: string,
    status: 'Active' | 'Inactive',
  ): Promise<void> {
    await this.account(accountId);
    this.#keyCache.clear();
    if (!(await this.#repo.setAccessKeyStatus(accountId, accessKeyId, status))) {
      throw new AdminError(`account ${accountId} has no access key ${accessKeyId}`);
    }
  }

  /** Forgets every resolved key at once: a key, its user or its account changed (the RAM API). */
  keysChanged(): void {
    this.#keyCache.clear();
  }

  /**
   * Authentication's lookup: the key, its decrypted secret, its account and user. Found keys are kept
   * while their tables are unchanged (TableCache: exact on the embedded store, so the AES-GCM open and
   * three queries are not paid per request); on PostgreSQL for KEY_CACHE_MS, below the one second in
   * which a change made elsewhere (another instance) must take effect. Changes made through
   * this service clear the cache at once.
   */
  resolveAccessKey(accessKeyId: string): Promise<ResolvedKey | undefined> {
    return this.#keyCache.get(accessKeyId, () => this.#lookupAccessKey(accessKeyId));
  }

  async #lookupAccessKey(accessKeyId: string): Promise<ResolvedKey | undefined> {
    const key = await this.#repo.findAccessKey(accessKeyId);
    if (key === undefined) return undefined;
    const account = await this.#repo.getAccount(key.accountId);
    if (account === undefined) return undefined;
    const user = key.userId === undefined ? undefined : await this.#repo.getUser(key.accountId, key.userId);
    return { key, secret: this.#box.open(key.secretSealed, `access_key:${key.id}`), account, user };
  }

  /** A custom policy; a malformed document is refused with every problem listed. */
  async createPolicy(accountId: string, name: string, document: string, description = ''): Promise<void> {
    await this.account(accountId);
    if (!NAME.test(name))
      throw new AdminError(`policy name must be 1-64 of letters, digits, . _ @ -, got "${name}"`);
    if (systemPolicy(name)) throw new AdminError(`${name} is a system policy name`);
    if (await this.#repo.getCustomPolicy(accountId, name))
      throw new AdminError(`policy ${name} already exists`);
    const parsed = parsePolicyDocument(document);
    if (!parsed.ok)
      throw new AdminError(`policy document is not valid:\n  - ${parsed.errors.join('\n  - ')}`);
    await this.#repo.insertCustomPolicy({ accountId, name, description, document, createdAt: this.#now() });
  }

  async listPolicies(
    accountId: string,
  ): Promise<Array<{ name: string; type: 'System' | 'Custom'; document: string }>> {
    await this.account(accountId);
    const custom = await this.#repo.listCustomPolicies(accountId);
    return custom.map((p) => ({ name: p.name, type: 'Custom' as const, document: p.document }));
  }

  async #attachment(
    accountId: string,
    policyName: string,
  ): Promise<{ policyType: 'System' | 'Custom'; policyName: string }> {
    if (systemPolicy(policyName)) return { policyType: 'System', policyName };
    if (await this.#repo.getCustomPolicy(accountId, policyName)) return { policyType: 'Custom', policyName };
    throw new AdminError(
      `no policy named ${policyName} (system policies: ${SYSTEM_POLICIES.map((p) => p.name).join(', ')})`,
    );
  }

  async attachPolicy(accountId: string, userName: string, policyName: string): Promise<void> {
    const user = await this.user(accountId, userName);
    await this.#repo.attachPolicy(
      accountId,
      user.id,
      await this.#attachment(accountId, policyName),
      this.#now(),
    );
  }

  async detachPolicy(accountId: string, userName: string, policyName: string): Promise<void> {
    const user = await this.user(accountId, userName);
    if (!(await this.#repo.detachPolicy(accountId, user.id, await this.#attachment(accountId, policyName)))) {
      throw new AdminError(`policy ${policyName} is not attached to ${userName}`);
    }
  }

  /** The policies a RAM user is evaluated against. */
  async policiesOf(accountId: string, userId: string): Promise<NamedPolicy[]> {
    const attached = await this.#repo.listUserPolicies(accountId, userId);
    const policies: NamedPolicy[] = [];
    for (const a of attached) {
      if (a.policyType === 'System') {
        const p = systemPolicy(a.policyName);
        if (p) policies.push(p);
      } else if (a.document !== undefined) {
        const parsed = parsePolicyDocument(a.document);
        // Documents are validated on creation; one that no longer parses grants nothing.
        if (parsed.ok) policies.push({ name: a.policyName, type: 'Custom', policy: parsed.policy });
      }
    }
    return policies;
  }
}
