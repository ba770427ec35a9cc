import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import { constantTimeEqual } from '../crypto/constant-time.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { fail } from '../errors/index.js';
import type { IamRepo } from '../store/iam-repo.js';
import type { StsSessionsRepo } from '../store/sts-sessions-repo.js';
import type { ResolvedKey } from './iam-service.js';
import { assumedRoleArn, assumedRoleId } from './assumed-role.js';
import { parsePolicyDocument, type Policy } from './policy/index.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomAlnum = (length: number): string =>
  Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join('');

/** Temporary AccessKeyIds look like Alibaba's: `STS.` + alphanumerics. */
export const STS_KEY_PREFIX = 'STS.';
export const STS_ACCESS_KEY_ID = /^STS\.[A-Za-z0-9]{28}$/;
/**
 * The SecurityToken: `CAIS` (the prefix of Alibaba's tokens) + 256 random bits in base64url. Opaque:
 * it carries nothing but randomness; the server keeps its SHA-256 and the session it belongs to.
 */
const TOKEN = /^CAIS[A-Za-z0-9_-]{43}$/;

/** Expired sessions are kept this long, so a late request is told InvalidSecurityToken.Expired ... */
export const EXPIRED_SESSION_KEPT_MS = 24 * 3600_000;
/** ... and deleted by AssumeRole at most this often per process (no background job of their own). */
const PRUNE_EVERY_MS = 3600_000;

const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const sealedFor = (accessKeyId: string): string => `sts_session:${accessKeyId}`;

export interface IssueRequest {
  accountId: string;
  role: { id: string; name: string; arn: string };
  sessionName: string;
  durationSeconds: number;
  /** A session policy document, already validated by the caller; it can only narrow the role's. */
  policy?: string;
}

export interface IssuedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** ISO 8601 without milliseconds, as STS answers `Expiration`. */
  expiration: string;
  assumedRoleArn: string;
  assumedRoleId: string;
}

/**
 * Temporary credentials (STS AssumeRole): issued into the shared database, so every instance accepts
 * them, and checked on every request that presents one. The secret is sealed under the master key,
 * the SecurityToken is kept as its SHA-256 only, and every comparison is constant-time.
 */
export class StsSessions {
  readonly #repo: StsSessionsRepo;
  readonly #iam: IamRepo;
  readonly #box: SecretBox;
  readonly #clock: Clock;
  #prunedAt = -Infinity;

  constructor(repo: StsSessionsRepo, iam: IamRepo, box: SecretBox, clock: Clock) {
    this.#repo = repo;
    this.#iam = iam;
    this.#box = box;
    this.#clock = clock;
  }

  async issue(req: IssueRequest): Promise<IssuedCredentials> {
    const now = this.#clock.now();
    // Whole seconds: Expiration is answered as `yyyy-MM-ddTHH:mm:ssZ`, and it is exactly when we refuse.
    const expiresMs = Math.floor(now / 1000) * 1000 + req.durationSeconds * 1000;
    const accessKeyId = `${STS_KEY_PREFIX}${randomAlnum(28)}`;
    const accessKeySecret = randomAlnum(44);
    const securityToken = `CAIS${randomBytes(32).toString('base64url')}`;
    const expiration = new Date(expiresMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await this.#repo.insert({
      accessKeyId,
      accountId: req.accountId,
      roleId: req.role.id,
      roleName: req.role.name,
      roleArn: req.role.arn,
      sessionName: req.sessionName,
      secretSealed: this.#box.seal(accessKeySecret, sealedFor(accessKeyId)),
      tokenHash: tokenHash(securityToken),
      policy: req.policy,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(expiresMs).toISOString(),
    });
    if (now - this.#prunedAt >= PRUNE_EVERY_MS) {
      this.#prunedAt = now;
      await this.#repo.pruneExpired(new Date(now - EXPIRED_SESSION_KEPT_MS).toISOString());
    }
    const role = { roleId: req.role.id, roleName: req.role.name, sessionName: req.sessionName };
    return {
      accessKeyId,
      accessKeySecret,
      securityToken,
      expiration,
      assumedRoleArn: assumedRoleArn(req.accountId, role),
      assumedRoleId: assumedRoleId(role),
    };
  }

  /**
   * Authentication's lookup of a temporary AccessKeyId and the SecurityToken sent with it. Throws the
   * gateway's codes: InvalidAccessKeyId.NotFound (no such session), MissingSecurityToken (none sent),
   * InvalidSecurityToken.Malformed (not a token this service issued), .MismatchWithAccessKey (a token
   * of another session), .Expired (the session's time is over).
   */
  async resolve(accessKeyId: string, token: string | undefined): Promise<ResolvedKey> {
    const session = await this.#repo.find(accessKeyId);
    if (session === undefined) throw fail('InvalidAccessKeyId.NotFound');
    if (token === undefined || token === '') throw fail('MissingSecurityToken');
    if (!TOKEN.test(token)) throw fail('InvalidSecurityToken.Malformed');
    const hash = tokenHash(token);
    if (!constantTimeEqual(hash, session.tokenHash)) {
      const owner = await this.#repo.keyOfToken(hash);
      throw fail(
        owner === undefined ? 'InvalidSecurityToken.Malformed' : 'InvalidSecurityToken.MismatchWithAccessKey',
      );
    }
    if (Date.parse(session.expiresAt) <= this.#clock.now()) throw fail('InvalidSecurityToken.Expired');
    const account = await this.#iam.getAccount(session.accountId);
    if (account === undefined) throw fail('InvalidAccessKeyId.NotFound');
    let sessionPolicy: Policy | undefined;
    if (session.policy !== undefined) {
      const parsed = parsePolicyDocument(session.policy);
      // Validated by AssumeRole; a document that no longer parses grants nothing.
      sessionPolicy = parsed.ok ? parsed.policy : { version: '1', statements: [] };
    }
    return {
      key: {
        id: session.accessKeyId,
        accountId: session.accountId,
        userId: undefined,
        secretSealed: session.secretSealed,
        status: 'Active',
        createdAt: session.createdAt,
      },
      secret: this.#box.open(session.secretSealed, sealedFor(session.accessKeyId)),
      account,
      user: undefined,
      session: {
        roleId: session.roleId,
        roleName: session.roleName,
        roleArn: session.roleArn,
        sessionName: session.sessionName,
        sessionPolicy,
        expiresAt: session.expiresAt,
      },
    };
  }

  /**
   * Whose a temporary AccessKeyId is, without its token: for the audit trail of a refused request (an
   * expired or mismatched token is still recorded under the account and the assumed role).
   */
  async ownerOf(accessKeyId: string): Promise<{ accountId: string; identity: string } | undefined> {
    const session = await this.#repo.find(accessKeyId);
    return (
      session && {
        accountId: session.accountId,
        identity: `assumed-role:${session.roleName}/${session.sessionName}`,
      }
    );
  }

  /** Deletes sessions expired before `beforeIso` (kept until then to answer InvalidSecurityToken.Expired). */
  prune(beforeIso: string): Promise<number> {
    return this.#repo.pruneExpired(beforeIso);
  }
}
