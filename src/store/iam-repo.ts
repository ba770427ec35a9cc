import type { Kysely } from 'kysely';
import type { AccessKeysTable, Database } from './schema.js';

export interface Account {
  id: string;
  name: string;
  subscribed: boolean;
  createdAt: string;
}

export interface RamUser {
  id: string;
  accountId: string;
  name: string;
  displayName: string;
  createdAt: string;
  /** The RAM API's fields (CreateUser, UpdateUser); empty when never set. */
  comments: string;
  email: string;
  mobilePhone: string;
  /** The last change; the creation until the user is first changed. */
  updatedAt: string;
}

export interface AccessKeyRecord {
  id: string;
  accountId: string;
  userId: string | undefined;
  secretSealed: string;
  status: AccessKeysTable['status'];
  createdAt: string;
}

export interface CustomPolicyRecord {
  accountId: string;
  name: string;
  description: string;
  document: string;
  createdAt: string;
}

export interface PolicyAttachment {
  policyType: 'System' | 'Custom';
  policyName: string;
}

const toAccount = (r: Database['accounts']): Account => ({
  id: r.id,
  name: r.name,
  subscribed: r.subscribed === 1,
  createdAt: r.created_at,
});

const toUser = (r: Database['ram_users']): RamUser => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  displayName: r.display_name,
  createdAt: r.created_at,
  comments: r.comments,
  email: r.email,
  mobilePhone: r.mobile_phone,
  updatedAt: r.updated_at ?? r.created_at,
});

const toKey = (r: AccessKeysTable): AccessKeyRecord => ({
  id: r.id,
  accountId: r.account_id,
  userId: r.user_id ?? undefined,
  secretSealed: r.secret_sealed,
  status: r.status,
  createdAt: r.created_at,
});

/**
 * Accounts, RAM users, access keys and policies. Every read and write below an account takes the
 * account ID first (architecture.md, "Conventions" 3); the one exception is `findAccessKey`, which is how
 * authentication learns the tenant from the AccessKeyId.
 */
export class IamRepo {
  readonly #db: Kysely<Database>;
  /** The store this repository reads (identity for TableCache). */
  get store(): object {
    return this.#db;
  }

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertAccount(a: Account): Promise<void> {
    await this.#db
      .insertInto('accounts')
      .values({ id: a.id, name: a.name, subscribed: a.subscribed ? 1 : 0, created_at: a.createdAt })
      .execute();
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const row = await this.#db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', accountId)
      .executeTakeFirst();
    return row && toAccount(row);
  }

  async listAccounts(): Promise<Account[]> {
    const rows = await this.#db
      .selectFrom('accounts')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toAccount);
  }

  async setSubscribed(accountId: string, subscribed: boolean): Promise<boolean> {
    const r = await this.#db
      .updateTable('accounts')
      .set({ subscribed: subscribed ? 1 : 0 })
      .where('id', '=', accountId)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async insertUser(u: RamUser): Promise<void> {
    await this.#db
      .insertInto('ram_users')
      .values({
        id: u.id,
        account_id: u.accountId,
        name: u.name,
        display_name: u.displayName,
        created_at: u.createdAt,
        comments: u.comments,
        email: u.email,
        mobile_phone: u.mobilePhone,
        updated_at: u.updatedAt,
      })
      .execute();
  }

  async getUser(accountId: string, userId: string): Promise<RamUser | undefined> {
    const row = await this.#db
      .selectFrom('ram_users')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', userId)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async getUserByName(accountId: string, name: string): Promise<RamUser | undefined> {
    const row = await this.#db
      .selectFrom('ram_users')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async listUsers(accountId: string): Promise<RamUser[]> {
    const rows = await this.#db
      .selectFrom('ram_users')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute();
    return rows.map(toUser);
  }

  async insertAccessKey(k: AccessKeyRecord): Promise<void> {
    await this.#db
      .insertInto('access_keys')
      .values({
        id: k.id,
        account_id: k.accountId,
        user_id: k.userId ?? null,
        secret_sealed: k.secretSealed,
        status: k.status,
        created_at: k.createdAt,
      })
      .execute();
  }

  /** Unscoped by design: the AccessKeyId is what tells authentication which account is calling. */
  async findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const row = await this.#db
      .selectFrom('access_keys')
      .selectAll()
      .where('id', '=', accessKeyId)
      .executeTakeFirst();
    return row && toKey(row);
  }

  async listAccessKeys(accountId: string): Promise<AccessKeyRecord[]> {
    const rows = await this.#db
      .selectFrom('access_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toKey);
  }

  async setAccessKeyStatus(
    accountId: string,
    accessKeyId: string,
    status: AccessKeysTable['status'],
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable('access_keys')
      .set({ status })
      .where('account_id', '=', accountId)
      .where('id', '=', accessKeyId)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** A custom policy with its document as version v1, its default. */
  async insertCustomPolicy(p: CustomPolicyRecord): Promise<void> {
    await this.#db
      .insertInto('custom_policies')
      .values({
        account_id: p.accountId,
        name: p.name,
        description: p.description,
        document: p.document,
        created_at: p.createdAt,
        default_version: 'v1',
        updated_at: p.createdAt,
      })
      .execute();
    await this.#db
      .insertInto('custom_policy_versions')
      .values({
        account_id: p.accountId,
        policy_name: p.name,
        version_id: 'v1',
        document: p.document,
        created_at: p.createdAt,
      })
      .execute();
  }

  async getCustomPolicy(accountId: string, name: string): Promise<CustomPolicyRecord | undefined> {
    const r = await this.#db
      .selectFrom('custom_policies')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
    return (
      r && {
        accountId: r.account_id,
        name: r.name,
        description: r.description,
        document: r.document,
        createdAt: r.created_at,
      }
    );
  }

  async listCustomPolicies(accountId: string): Promise<CustomPolicyRecord[]> {
    const rows = await this.#db
      .selectFrom('custom_policies')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      accountId: r.account_id,
      name: r.name,
      description: r.description,
      document: r.document,
      createdAt: r.created_at,
    }));
  }

  /** Attach; attaching twice is a no-op. */
  async attachPolicy(
    accountId: string,
    userId: string,
    a: PolicyAttachment,
    createdAt: string,
  ): Promise<void> {
    await this.#db
      .insertInto('policy_attachments')
      .values({
        account_id: accountId,
        user_id: userId,
        policy_type: a.policyType,
        policy_name: a.policyName,
        created_at: createdAt,
      })
      .onConflict((oc) => oc.columns(['user_id', 'policy_type', 'policy_name']).doNothing())
      .execute();
  }

  async detachPolicy(accountId: string, userId: string, a: PolicyAttachment): Promise<boolean> {
    const r = await this.#db
      .deleteFrom('policy_attachments')
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .where('policy_type', '=', a.policyType)
      .where('policy_name', '=', a.policyName)
      .executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** The user's attached policies with the documents of the custom ones, in one query. */
  async listUserPolicies(
    accountId: string,
    userId: string,
  ): Promise<Array<PolicyAttachment & { document: string | undefined }>> {
    const rows = await this.#db
      .selectFrom('policy_attachments as pa')
      .leftJoin('custom_policies as cp', (j) =>
        j
          .onRef('cp.account_id', '=', 'pa.account_id')
          .onRef('cp.name', '=', 'pa.policy_name')
          .on('pa.policy_type', '=', 'Custom'),
      )
      .select(['pa.policy_type', 'pa.policy_name', 'cp.document'])
      .where('pa.account_id', '=', accountId)
      .where('pa.user_id', '=', userId)
      .orderBy('pa.policy_type')
      .orderBy('pa.policy_name')
      .execute();
    return rows.map((r) => ({
      policyType: r.policy_type,
      policyName: r.policy_name,
      document: r.document ?? undefined,
    }));
  }
}
