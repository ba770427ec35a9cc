import type { Kysely } from 'kysely';
import type { PolicyAttachment } from './iam-repo.js';
import type { Database, RamRolesTable } from './schema.js';

export interface RamRole {
  id: string;
  accountId: string;
  name: string;
  description: string;
  /** The AssumeRolePolicyDocument as given. */
  trustPolicy: string;
  maxSessionDuration: number;
  createdAt: string;
  updatedAt: string;
}

/** A policy attached to a role, with the custom policy's document and description. */
export interface RoleAttachment extends PolicyAttachment {
  attachedAt: string;
  document: string | undefined;
  description: string | undefined;
}

const toRole = (r: RamRolesTable): RamRole => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  description: r.description,
  trustPolicy: r.trust_policy,
  maxSessionDuration: Number(r.max_session_duration),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The key a role's name is unique by in its account: RAM compares role names without case. */
export const roleNameKey = (name: string): string => name.toLowerCase();

/**
 * RAM roles and the policies attached to them (010-ram-roles). Every read and write takes the account
 * first (architecture.md, "Conventions" 3).
 */
export class RamRolesRepo {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertRole(role: RamRole): Promise<void> {
    await this.#db
      .insertInto('ram_roles')
      .values({
        id: role.id,
        account_id: role.accountId,
        name: role.name,
        name_key: roleNameKey(role.name),
        description: role.description,
        trust_policy: role.trustPolicy,
        max_session_duration: role.maxSessionDuration,
        created_at: role.createdAt,
        updated_at: role.updatedAt,
      })
      .execute();
  }

  async getRoleByName(accountId: string, name: string): Promise<RamRole | undefined> {
    const row = await this.#db
      .selectFrom('ram_roles')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('name_key', '=', roleNameKey(name))
      .executeTakeFirst();
    return row && toRole(row);
  }

  /** One page in name order: the roles whose name key sorts after `after`, at most `limit` of them. */
  async listRoles(accountId: string, page: { after?: string; limit: number }): Promise<RamRole[]> {
    let q = this.#db.selectFrom('ram_roles').selectAll().where('account_id', '=', accountId);
    if (page.after !== undefined) q = q.where('name_key', '>', page.after);
    const rows = await q.orderBy('name_key').limit(page.limit).execute();
    return rows.map(toRole);
  }

  async updateRole(
    accountId: string,
    roleId: string,
    change: Partial<Pick<RamRole, 'description' | 'trustPolicy' | 'maxSessionDuration'>> & {
      updatedAt: string;
    },
  ): Promise<void> {
    await this.#db
      .updateTable('ram_roles')
      .set({
        updated_at: change.updatedAt,
        ...(change.description === undefined ? {} : { description: change.description }),
        ...(change.trustPolicy === undefined ? {} : { trust_policy: change.trustPolicy }),
        ...(change.maxSessionDuration === undefined
          ? {}
          : { max_session_duration: change.maxSessionDuration }),
      })
      .where('account_id', '=', accountId)
      .where('id', '=', roleId)
      .execute();
  }

  /** Deletes the role unless a policy is attached to it; false when one is (or the role is gone). */
  async deleteRoleWithoutPolicies(accountId: string, roleId: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom('ram_roles')
      .where('account_id', '=', accountId)
      .where('id', '=', roleId)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('role_policy_attachments')
              .select('role_id')
              .where('role_policy_attachments.account_id', '=', accountId)
              .where('role_policy_attachments.role_id', '=', roleId),
          ),
        ),
      )
      .executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Attach; false when the policy was already attached. */
  async attachPolicy(accountId: string, roleId: string, a: PolicyAttachment, at: string): Promise<boolean> {
    const r = await this.#db
      .insertInto('role_policy_attachments')
      .values({
        account_id: accountId,
        role_id: roleId,
        policy_type: a.policyType,
        policy_name: a.policyName,
        created_at: at,
      })
      .onConflict((oc) => oc.columns(['role_id', 'policy_type', 'policy_name']).doNothing())
      .executeTakeFirst();
    return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async detachPolicy(accountId: string, roleId: string, a: PolicyAttachment): Promise<boolean> {
    const r = await this.#db
      .deleteFrom('role_policy_attachments')
      .where('account_id', '=', accountId)
      .where('role_id', '=', roleId)
      .where('policy_type', '=', a.policyType)
      .where('policy_name', '=', a.policyName)
      .executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** The role's attached policies with the custom ones' documents and descriptions, in one query. */
  async listRolePolicies(accountId: string, roleId: string): Promise<RoleAttachment[]> {
    const rows = await this.#db
      .selectFrom('role_policy_attachments as pa')
      .leftJoin('custom_policies as cp', (j) =>
        j
          .onRef('cp.account_id', '=', 'pa.account_id')
          .onRef('cp.name', '=', 'pa.policy_name')
          .on('pa.policy_type', '=', 'Custom'),
      )
      .select(['pa.policy_type', 'pa.policy_name', 'pa.created_at', 'cp.document', 'cp.description'])
      .where('pa.account_id', '=', accountId)
      .where('pa.role_id', '=', roleId)
      .orderBy('pa.policy_type')
      .orderBy('pa.policy_name')
      .execute();
    return rows.map((r) => ({
      policyType: r.policy_type,
      policyName: r.policy_name,
      attachedAt: r.created_at,
      document: r.document ?? undefined,
      description: r.description ?? undefined,
    }));
  }

  /** The roles a policy is attached to (ListEntitiesForPolicy, DeletePolicy). */
  async rolesWithPolicy(
    accountId: string,
    a: PolicyAttachment,
  ): Promise<Array<{ role: RamRole; attachedAt: string }>> {
    const rows = await this.#db
      .selectFrom('role_policy_attachments as pa')
      .innerJoin('ram_roles as r', 'r.id', 'pa.role_id')
      .selectAll('r')
      .select('pa.created_at as attached_at')
      .where('pa.account_id', '=', accountId)
      .where('pa.policy_type', '=', a.policyType)
      .where('pa.policy_name', '=', a.policyName)
      .orderBy('r.name_key')
      .execute();
    return rows.map((r) => ({ role: toRole(r), attachedAt: r.attached_at }));
  }
}
