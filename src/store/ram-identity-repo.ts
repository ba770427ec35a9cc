import type { Kysely } from 'kysely';
import type { AccessKeyRecord, PolicyAttachment, RamUser } from './iam-repo.js';
import type { AccessKeysTable, Database } from './schema.js';

/** A user's change through the RAM API (UpdateUser); absent fields are kept. */
export interface UserChange {
  name?: string | undefined;
  displayName?: string | undefined;
  comments?: string | undefined;
  email?: string | undefined;
  mobilePhone?: string | undefined;
  updatedAt: string;
}

export interface UserAttachment extends PolicyAttachment {
  attachedAt: string;
  /** The custom policy's description and default version; undefined for a system policy. */
  description: string | undefined;
  defaultVersion: string | undefined;
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createdAt: string;
}

const keyOwner = (userId: string | undefined) => userId ?? null;

/**
 * What the RAM API (2015-05-01) reads and writes of users, access keys, attachments and custom policy
 * versions, beyond the CLI's IamRepo: paged listings, changes, deletions. Every query takes the account
 * first (architecture.md, "Conventions" 3); an access key is always looked up with its owner (a user,
 * or the account itself when `userId` is undefined).
 */
export class RamIdentityRepo {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Users in name order after `after`, at most `limit`. */
  async listUsers(accountId: string, page: { after?: string; limit: number }) {
    let q = this.#db.selectFrom('ram_users').select('name').where('account_id', '=', accountId);
    if (page.after !== undefined) q = q.where('name', '>', page.after);
    return (await q.orderBy('name').limit(page.limit).execute()).map((r) => r.name);
  }

  async updateUser(accountId: string, userId: string, change: UserChange): Promise<void> {
    const set = {
      updated_at: change.updatedAt,
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.displayName === undefined ? {} : { display_name: change.displayName }),
      ...(change.comments === undefined ? {} : { comments: change.comments }),
      ...(change.email === undefined ? {} : { email: change.email }),
      ...(change.mobilePhone === undefined ? {} : { mobile_phone: change.mobilePhone }),
    };
    await this.#db
      .updateTable('ram_users')
      .set(set)
      .where('account_id', '=', accountId)
      .where('id', '=', userId)
      .execute();
  }

  async deleteUser(accountId: string, userId: string): Promise<void> {
    await this.#db
      .deleteFrom('ram_users')
      .where('account_id', '=', accountId)
      .where('id', '=', userId)
      .execute();
  }

  /** The keys of a user, or of the account itself (root keys) when `userId` is undefined. */
  async keysOf(accountId: string, userId: string | undefined): Promise<AccessKeyRecord[]> {
    const owner = keyOwner(userId);
    const rows = await this.#db
      .selectFrom('access_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .where((eb) => (owner === null ? eb('user_id', 'is', null) : eb('user_id', '=', owner)))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      userId: r.user_id ?? undefined,
      secretSealed: r.secret_sealed,
      status: r.status,
      createdAt: r.created_at,
    }));
  }

  async setKeyStatus(
    accountId: string,
    userId: string | undefined,
    keyId: string,
    status: AccessKeysTable['status'],
  ): Promise<boolean> {
    const owner = keyOwner(userId);
    const r = await this.#db
      .updateTable('access_keys')
      .set({ status })
      .where('account_id', '=', accountId)
      .where('id', '=', keyId)
      .where((eb) => (owner === null ? eb('user_id', 'is', null) : eb('user_id', '=', owner)))
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async deleteKey(accountId: string, userId: string | undefined, keyId: string): Promise<boolean> {
    const owner = keyOwner(userId);
    const r = await this.#db
      .deleteFrom('access_keys')
      .where('account_id', '=', accountId)
      .where('id', '=', keyId)
      .where((eb) => (owner === null ? eb('user_id', 'is', null) : eb('user_id', '=', owner)))
      .executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Attach; false when it was attached already. */
  async attachUserPolicy(
    accountId: string,
    userId: string,
    a: PolicyAttachment,
    at: string,
  ): Promise<boolean> {
    const r = await this.#db
      .insertInto('policy_attachments')
      .values({
        account_id: accountId,
        user_id: userId,
        policy_type: a.policyType,
        policy_name: a.policyName,
        created_at: at,
      })
      .onConflict((oc) => oc.columns(['user_id', 'policy_type', 'policy_name']).doNothing())
      .executeTakeFirst();
    return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async userAttachments(accountId: string, userId: string): Promise<UserAttachment[]> {
    const rows = await this.#db
      .selectFrom('policy_attachments as pa')
      .leftJoin('custom_policies as cp', (j) =>
        j
          .onRef('cp.account_id', '=', 'pa.account_id')
          .onRef('cp.name', '=', 'pa.policy_name')
          .on('pa.policy_type', '=', 'Custom'),
      )
      .select(['pa.policy_type', 'pa.policy_name', 'pa.created_at', 'cp.description', 'cp.default_version'])
      .where('pa.account_id', '=', accountId)
      .where('pa.user_id', '=', userId)
      .orderBy('pa.policy_type')
      .orderBy('pa.policy_name')
      .execute();
    return rows.map((r) => ({
      policyType: r.policy_type,
      policyName: r.policy_name,
      attachedAt: r.created_at,
      description: r.description ?? undefined,
      defaultVersion: r.default_version ?? undefined,
    }));
  }

  /** The users a policy is attached to, in name order. */
  async usersWithPolicy(
    accountId: string,
    a: PolicyAttachment,
  ): Promise<Array<{ user: Pick<RamUser, 'id' | 'name' | 'displayName'>; attachedAt: string }>> {
    const rows = await this.#db
      .selectFrom('policy_attachments as pa')
      .innerJoin('ram_users as u', 'u.id', 'pa.user_id')
      .select(['u.id', 'u.name', 'u.display_name', 'pa.created_at'])
      .where('pa.account_id', '=', accountId)
      .where('pa.policy_type', '=', a.policyType)
      .where('pa.policy_name', '=', a.policyName)
      .orderBy('u.name')
      .execute();
    return rows.map((r) => ({
      user: { id: r.id, name: r.name, displayName: r.display_name },
      attachedAt: r.created_at,
    }));
  }

  async policyVersions(accountId: string, policyName: string): Promise<PolicyVersionRecord[]> {
    const rows = await this.#db
      .selectFrom('custom_policy_versions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('policy_name', '=', policyName)
      .orderBy('created_at')
      .orderBy('version_id')
      .execute();
    return rows.map((r) => ({ versionId: r.version_id, document: r.document, createdAt: r.created_at }));
  }

  async policyDefaultVersion(accountId: string, policyName: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('custom_policies')
      .select(['default_version', 'updated_at'])
      .where('account_id', '=', accountId)
      .where('name', '=', policyName)
      .executeTakeFirst();
    return row?.default_version;
  }

  async policyUpdatedAt(accountId: string, policyName: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('custom_policies')
      .select(['updated_at', 'created_at'])
      .where('account_id', '=', accountId)
      .where('name', '=', policyName)
      .executeTakeFirst();
    return row && (row.updated_at ?? row.created_at);
  }

  async insertPolicyVersion(accountId: string, policyName: string, v: PolicyVersionRecord): Promise<void> {
    await this.#db
      .insertInto('custom_policy_versions')
      .values({
        account_id: accountId,
        policy_name: policyName,
        version_id: v.versionId,
        document: v.document,
        created_at: v.createdAt,
      })
      .execute();
  }

  async deletePolicyVersion(accountId: string, policyName: string, versionId: string): Promise<void> {
    await this.#db
      .deleteFrom('custom_policy_versions')
      .where('account_id', '=', accountId)
      .where('policy_name', '=', policyName)
      .where('version_id', '=', versionId)
      .execute();
  }

  /** Makes `versionId` the default: the policy's document becomes that version's. */
  async setDefaultVersion(
    accountId: string,
    policyName: string,
    v: Pick<PolicyVersionRecord, 'versionId' | 'document'>,
    at: string,
  ): Promise<void> {
    await this.#db
      .updateTable('custom_policies')
      .set({ default_version: v.versionId, document: v.document, updated_at: at })
      .where('account_id', '=', accountId)
      .where('name', '=', policyName)
      .execute();
  }

  async deletePolicy(accountId: string, policyName: string): Promise<void> {
    await this.#db
      .deleteFrom('custom_policy_versions')
      .where('account_id', '=', accountId)
      .where('policy_name', '=', policyName)
      .execute();
    await this.#db
      .deleteFrom('custom_policies')
      .where('account_id', '=', accountId)
      .where('name', '=', policyName)
      .execute();
  }

  /** Custom policies in name order after `after`, at most `limit`. */
  async listCustomPolicies(accountId: string, page: { after?: string; limit: number }) {
    let q = this.#db.selectFrom('custom_policies').selectAll().where('account_id', '=', accountId);
    if (page.after !== undefined) q = q.where('name', '>', page.after);
    return q.orderBy('name').limit(page.limit).execute();
  }
}
