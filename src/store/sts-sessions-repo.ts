import type { Kysely } from 'kysely';
import type { Database, StsSessionsTable } from './schema.js';

/** A temporary credential issued by STS AssumeRole, as stored (011-sts-sessions). */
export interface StsSessionRecord {
  /** `STS.` + random alphanumerics. */
  accessKeyId: string;
  accountId: string;
  roleId: string;
  roleName: string;
  roleArn: string;
  sessionName: string;
  /** The AccessKeySecret, sealed under the master key with `sts_session:<accessKeyId>` bound to it. */
  secretSealed: string;
  /** Lower-case hex SHA-256 of the SecurityToken. */
  tokenHash: string;
  /** The session policy document given to AssumeRole, if any (it can only narrow the role's). */
  policy: string | undefined;
  createdAt: string;
  /** ISO 8601; the credential is refused from this instant on. */
  expiresAt: string;
}

const toRecord = (r: StsSessionsTable): StsSessionRecord => ({
  accessKeyId: r.access_key_id,
  accountId: r.account_id,
  roleId: r.role_id,
  roleName: r.role_name,
  roleArn: r.role_arn,
  sessionName: r.session_name,
  secretSealed: r.secret_sealed,
  tokenHash: r.token_hash,
  policy: r.policy ?? undefined,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/**
 * STS sessions, in the one database every instance shares, so a credential issued by one instance
 * works on all. The unscoped reads are authentication's: it learns the tenant from the AccessKeyId
 * (as IamRepo.findAccessKey does).
 */
export class StsSessionsRepo {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(s: StsSessionRecord): Promise<void> {
    await this.#db
      .insertInto('sts_sessions')
      .values({
        access_key_id: s.accessKeyId,
        account_id: s.accountId,
        role_id: s.roleId,
        role_name: s.roleName,
        role_arn: s.roleArn,
        session_name: s.sessionName,
        secret_sealed: s.secretSealed,
        token_hash: s.tokenHash,
        policy: s.policy ?? null,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
      })
      .execute();
  }

  /** Unscoped: authentication's lookup by AccessKeyId. */
  async find(accessKeyId: string): Promise<StsSessionRecord | undefined> {
    const row = await this.#db
      .selectFrom('sts_sessions')
      .selectAll()
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Unscoped: which AccessKeyId a token was issued with (to tell a mismatched token from a forged one). */
  async keyOfToken(tokenHash: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('sts_sessions')
      .select('access_key_id')
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row?.access_key_id;
  }

  /** Deletes the sessions that expired before `beforeIso`; returns how many. */
  async pruneExpired(beforeIso: string): Promise<number> {
    const r = await this.#db
      .deleteFrom('sts_sessions')
      .where('expires_at', '<', beforeIso)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
