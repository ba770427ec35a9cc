/**
 * Temporary credentials on both stores (architecture.md, "Conventions" 4): issued by one handle, accepted
 * by another (another instance), refused with the gateway's codes, and nothing secret at rest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { SecretBox } from '../crypto/secret-box.js';
import { ServiceError } from '../errors/index.js';
import { APP_MIGRATIONS } from '../main.js';
import { IamRepo } from '../store/iam-repo.js';
import { openPostgres } from '../store/postgres.js';
import type { Database } from '../store/schema.js';
import { openSqlite } from '../store/sqlite/open-sqlite.js';
import { StsSessionsRepo } from '../store/sts-sessions-repo.js';
import {
  postgresReachable,
  scratchSchema,
  SKIP_POSTGRES,
  type ScratchSchema,
} from '../store/test-support.js';
import { StsSessions, type IssuedCredentials } from './sts-sessions.js';

const A = '1000000000000001';
const KEY = Buffer.alloc(32, 7);
const ROLE = { id: '300000000000000001', name: 'deployer', arn: `acs:ram::${A}:role/deployer` };

interface Handles {
  open(): Promise<Kysely<Database>>;
  dispose(): Promise<void>;
}

function sqlite(): Handles {
  const dir = mkdtempSync(path.join(tmpdir(), 'cams-sts-'));
  return {
    open: () => openSqlite(path.join(dir, 'cams.sqlite'), { migrations: APP_MIGRATIONS }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgres(): Handles {
  let schema: Promise<ScratchSchema> | undefined;
  return {
    async open() {
      schema ??= scratchSchema();
      return openPostgres((await schema).url, { migrations: APP_MIGRATIONS });
    },
    dispose: async () => (await schema)?.drop(),
  };
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error.code;
    throw error;
  }
  return 'resolved';
}

function contract(handles: () => Handles): void {
  let h: Handles;
  let one: Kysely<Database>;
  let two: Kysely<Database>;
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.250Z'));
  let issuer: StsSessions;
  let other: StsSessions;
  let issued: IssuedCredentials;

  beforeAll(async () => {
    h = handles();
    one = await h.open();
    two = await h.open();
    await new IamRepo(one).insertAccount({ id: A, name: 'isv', subscribed: true, createdAt: 'x' });
    const box = new SecretBox(KEY);
    issuer = new StsSessions(new StsSessionsRepo(one), new IamRepo(one), box, clock);
    other = new StsSessions(new StsSessionsRepo(two), new IamRepo(two), box, clock);
    issued = await issuer.issue({ accountId: A, role: ROLE, sessionName: 'alice', durationSeconds: 900 });
  });
  afterAll(async () => {
    await one?.destroy();
    await two?.destroy();
    await h?.dispose();
  });

  it('issues STS-shaped credentials, expiring after the duration in whole seconds', () => {
    expect(issued.accessKeyId).toMatch(/^STS\.[A-Za-z0-9]{28}$/);
    expect(issued.accessKeySecret).toMatch(/^[A-Za-z0-9]{44}$/);
    expect(issued.securityToken).toMatch(/^CAIS[A-Za-z0-9_-]{43}$/);
    expect(issued.expiration).toBe('2026-03-01T10:15:00Z');
    expect(issued.assumedRoleArn).toBe(`acs:ram::${A}:role/deployer/alice`);
    expect(issued.assumedRoleId).toBe(`${ROLE.id}:alice`);
  });

  it('another instance accepts the credential: the caller is the assumed role, with its secret', async () => {
    const caller = await other.resolve(issued.accessKeyId, issued.securityToken);
    expect(caller.secret).toBe(issued.accessKeySecret);
    expect(caller.account.id).toBe(A);
    expect(caller.user).toBeUndefined();
    expect(caller.session).toMatchObject({
      roleId: ROLE.id,
      roleName: 'deployer',
      roleArn: ROLE.arn,
      sessionName: 'alice',
      sessionPolicy: undefined,
    });
  });

  it('stores neither the secret nor the token in the clear', async () => {
    const rows = await two.selectFrom('sts_sessions').selectAll().execute();
    const text = JSON.stringify(rows);
    expect(rows).toHaveLength(1);
    expect(text).not.toContain(issued.accessKeySecret);
    expect(text).not.toContain(issued.securityToken);
    expect(text).not.toContain(issued.securityToken.slice(4, 30));
  });

  it('refuses a missing, malformed, forged or mismatched token, and an unknown key', async () => {
    const second = await issuer.issue({
      accountId: A,
      role: ROLE,
      sessionName: 'bob',
      durationSeconds: 3600,
    });
    expect(await code(other.resolve(issued.accessKeyId, undefined))).toBe('MissingSecurityToken');
    expect(await code(other.resolve(issued.accessKeyId, ''))).toBe('MissingSecurityToken');
    expect(await code(other.resolve(issued.accessKeyId, 'not-a-token'))).toBe(
      'InvalidSecurityToken.Malformed',
    );
    // Well-formed but never issued: one character of a real token changed.
    const last = issued.securityToken.at(-1) === 'A' ? 'B' : 'A';
    const forged = issued.securityToken.slice(0, -1) + last;
    expect(await code(other.resolve(issued.accessKeyId, forged))).toBe('InvalidSecurityToken.Malformed');
    expect(await code(other.resolve(issued.accessKeyId, second.securityToken))).toBe(
      'InvalidSecurityToken.MismatchWithAccessKey',
    );
    expect(await code(other.resolve(second.accessKeyId, issued.securityToken))).toBe(
      'InvalidSecurityToken.MismatchWithAccessKey',
    );
    expect(await code(other.resolve('STS.0000000000000000000000000000', issued.securityToken))).toBe(
      'InvalidAccessKeyId.NotFound',
    );
  });

  it('keeps a session policy, and refuses the credential from its Expiration on', async () => {
    const doc = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"cams:Query*","Resource":"*"}]}';
    const s = await issuer.issue({
      accountId: A,
      role: ROLE,
      sessionName: 'carol',
      durationSeconds: 1000,
      policy: doc,
    });
    const caller = await other.resolve(s.accessKeyId, s.securityToken);
    expect(caller.session?.sessionPolicy?.statements[0]?.actions).toEqual(['cams:Query*']);
    clock.set(Date.parse(s.expiration) - 1);
    expect(await code(other.resolve(s.accessKeyId, s.securityToken))).toBe('resolved');
    clock.set(Date.parse(s.expiration));
    expect(await code(other.resolve(s.accessKeyId, s.securityToken))).toBe('InvalidSecurityToken.Expired');
    // A wrong token on an expired session is still the wrong token.
    expect(await code(other.resolve(s.accessKeyId, issued.securityToken))).toBe(
      'InvalidSecurityToken.MismatchWithAccessKey',
    );
  });

  it('prunes only sessions expired before the given time', async () => {
    const before = await one.selectFrom('sts_sessions').select('access_key_id').execute();
    expect(await issuer.prune('2026-03-01T10:15:00.001Z')).toBe(1); // alice's, 900 s
    const after = await one.selectFrom('sts_sessions').select('access_key_id').execute();
    expect(after).toHaveLength(before.length - 1);
    expect(after.map((r) => r.access_key_id)).not.toContain(issued.accessKeyId);
  });

  it('issuing deletes sessions expired more than a day ago and keeps the younger ones', async () => {
    const count = async () => (await one.selectFrom('sts_sessions').select('access_key_id').execute()).length;
    clock.set(Date.parse('2026-03-02T12:00:00Z'));
    const before = await count();
    const fresh = await issuer.issue({ accountId: A, role: ROLE, sessionName: 'late', durationSeconds: 900 });
    // Every session of 2026-03-01 (expired more than 24 hours before) is gone; the new one is there.
    expect(await count()).toBe(1);
    expect(before).toBeGreaterThan(0);
    // An hour later: it prunes again, and keeps what expired less than a day before.
    clock.set(Date.parse('2026-03-03T12:00:00Z'));
    await issuer.issue({ accountId: A, role: ROLE, sessionName: 'next', durationSeconds: 900 });
    expect(await code(other.resolve(fresh.accessKeyId, fresh.securityToken))).toBe(
      'InvalidSecurityToken.Expired',
    );
  });
}

describe('STS sessions: SQLite', () => contract(sqlite));

const pgUp = await postgresReachable();
describe.skipIf(!pgUp)(`STS sessions: PostgreSQL${pgUp ? '' : ` (${SKIP_POSTGRES})`}`, () =>
  contract(postgres),
);
