/**
 * Two `cams serve` processes against one PostgreSQL and one Redis (architecture.md, "Scale-out"), driven by
 * one account's keys through the official SDK: one flow-control window across both, a nonce used on one
 * refused by the other, and CLI changes (key disabled, policy detached, subscription ended) seen by both
 * within a second. Skips with the reason where PostgreSQL or Redis is absent.
 */
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, SdkError, TestServer } from '../support/server.js';
import { addRequest, phoneSequence, recordingRelay, type Recorded } from '../wire/helpers.js';
import { CamsModels } from '../support/server.js';
import { clientFor, missingServices, newDeployment, type Deployment } from './deployment.js';
import { buildServer, runCams, startInstance, type Instance } from './processes.js';

/** One request as an instance logged it: it ran in [start, end] on the machine's clock. */
interface Served {
  readonly start: number;
  readonly end: number;
  readonly status: number;
}

/** The instance's log lines of `action` (the gateway route, gateway/route.ts, logs `ms` since arrival at the end of a request). */
function served(instance: Instance, action: string): Served[] {
  return instance.logs
    .filter((l) => l.msg === 'request' && l.action === action)
    .map((l) => ({ start: Number(l.time) - Number(l.ms), end: Number(l.time), status: Number(l.status) }));
}

/**
 * The largest number of admissions that certainly fell in one sliding second. An admission happened while
 * its request ran, so a set of them is certainly inside [t, t + 1000) only when every one of those
 * requests arrived at or after t and ended before t + 1000; it suffices to try t = each arrival time.
 * Honest both ways: the requests of a burst run within a few hundred milliseconds, so a limiter that let
 * each instance admit its own 10 shows 20 in the first burst.
 */
function certainBusiestSecond(admitted: Served[]): number {
  let best = 0;
  for (const a of admitted) {
    best = Math.max(best, admitted.filter((c) => c.start >= a.start && c.end < a.start + 1000).length);
  }
  return best;
}

const query = (space: string) => new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: space });

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as SdkError).code ?? String(error);
  }
}

/** Sends a recorded request again, byte for byte (Host included), to another port. */
function replay(r: Recorded, port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: r.method, path: r.url, headers: r.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Polls both instances until each answers `expected`; the milliseconds that took for the slower one. */
async function untilBoth(
  a: () => Promise<string | undefined>,
  b: () => Promise<string | undefined>,
  expected: string,
) {
  const started = Date.now();
  const wait = async (call: () => Promise<string | undefined>) => {
    while ((await call()) !== expected) {
      if (Date.now() - started > 5000) throw new Error(`still not ${expected} after 5 s`);
      await sleep(25);
    }
    return Date.now() - started;
  };
  return Math.max(...(await Promise.all([wait(a), wait(b)])));
}

describe('certainBusiestSecond', () => {
  it('counts only calls that certainly fell inside one second', () => {
    const call = (start: number, end: number): Served => ({ start, end, status: 200 });
    expect(certainBusiestSecond([call(0, 10), call(5, 20), call(990, 999)])).toBe(3);
    expect(certainBusiestSecond([call(0, 10), call(5, 20), call(990, 1000)])).toBe(2);
    expect(certainBusiestSecond([])).toBe(0);
  });
});

const missing = await missingServices();
describe.skipIf(missing !== undefined)(
  `two instances, one PostgreSQL, one Redis${missing ? ` (${missing})` : ''}`,
  () => {
    let build: ReturnType<typeof buildServer>;
    let deployment: Deployment;
    let a: Instance;
    let b: Instance;
    let root: Credentials & { accountId: string; custSpaceId: string };

    beforeAll(async () => {
      build = buildServer();
      deployment = await newDeployment();
      // Started together on an empty schema: the migration lock makes one of them migrate.
      [a, b] = await Promise.all([
        startInstance(build.dir, deployment.env),
        startInstance(build.dir, deployment.env),
      ]);
      const admin = await deployment.admin();
      const account = await admin.iam.createAccount({ name: 'isv', subscribed: true });
      const key = await admin.iam.createAccessKey(account.id);
      const space = await admin.spaces.create(account.id, { name: 'space one' });
      root = { ...key, accountId: account.id, custSpaceId: space.id };
    }, 60_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await deployment?.dispose();
      build?.remove();
    });

    it('no sliding second admits more than 10 AddChatappPhoneNumber of the account across both', async () => {
      const clients = [clientFor(a.endpoint, root), clientFor(b.endpoint, root)];
      // Warm both instances (connections, JIT) with another action, so the bursts below run tightly.
      await Promise.all(
        clients.flatMap((c) =>
          [1, 2, 3].map(() => code(c.queryChatappPhoneNumbers(query(root.custSpaceId)))),
        ),
      );
      const phone = phoneSequence(2000);
      const outcomes: Array<string | undefined> = [];
      const started = Date.now();
      for (let burst = 0; burst < 5; burst++) {
        await sleep(Math.max(0, started + burst * 400 - Date.now()));
        const calls = clients.flatMap((client) =>
          Array.from({ length: 10 }, () =>
            code(client.addChatappPhoneNumber(addRequest(root.custSpaceId, phone()))),
          ),
        );
        outcomes.push(...(await Promise.all(calls)));
      }
      expect(outcomes.filter((c) => c !== undefined).every((c) => c === 'System.LimitControl')).toBe(true);
      const ok = outcomes.filter((c) => c === undefined).length;
      const admittedLines = () =>
        [...served(a, 'AddChatappPhoneNumber'), ...served(b, 'AddChatappPhoneNumber')].filter(
          (r) => r.status === 200,
        );
      // A log line may still be in the pipe when its answer has arrived.
      for (let i = 0; i < 40 && admittedLines().length < ok; i++) await sleep(50);
      const admitted = admittedLines();
      expect(admitted).toHaveLength(ok);
      expect(certainBusiestSecond(admitted)).toBeLessThanOrEqual(10);
      // The window slides: the run spans two seconds, so more than one window's worth got through.
      expect(ok).toBeGreaterThanOrEqual(20);
      // Refused calls left nothing behind: the shared store holds exactly the admitted numbers.
      const admin = await deployment.admin();
      const rows = await admin.db
        .selectFrom('phone_numbers')
        .select('e164')
        .where('account_id', '=', root.accountId)
        .execute();
      expect(rows).toHaveLength(ok);
    });

    it('the same number added on both instances at the same moment: one OK, PhoneNumber.Exists for the others, one row', async () => {
      const clients = [clientFor(a.endpoint, root), clientFor(b.endpoint, root)];
      const phone = phoneSequence(3000);
      for (let round = 0; round < 3; round++) {
        await sleep(1100); // a fresh flow-control window (10 Adds per second per account)
        const number = phone();
        const outcomes = await Promise.all(
          [...clients, ...clients].map((c) =>
            code(c.addChatappPhoneNumber(addRequest(root.custSpaceId, number))),
          ),
        );
        expect(outcomes.filter((c) => c === undefined)).toHaveLength(1);
        expect(outcomes.filter((c) => c !== undefined)).toEqual(Array(3).fill('PhoneNumber.Exists'));
        const admin = await deployment.admin();
        const rows = await admin.db
          .selectFrom('phone_numbers')
          .select(['e164', 'upstream_id'])
          .where('account_id', '=', root.accountId)
          .where('e164', 'like', `%${number}`)
          .execute();
        expect(rows).toEqual([expect.objectContaining({ upstream_id: expect.stringMatching(/^\d+$/) })]);
      }
    });

    it('a nonce used on one instance is refused by the other', async () => {
      const relay = await recordingRelay({ port: a.port } as TestServer);
      try {
        await clientFor(relay.endpoint, root).queryChatappPhoneNumbers(query(root.custSpaceId));
        const [sent] = relay.recorded;
        for (const port of [b.port, a.port]) {
          const answer = await replay(sent!, port);
          expect(answer.status).toBe(400);
          expect(answer.body.Code).toBe('SignatureNonceUsed');
        }
      } finally {
        await relay.close();
      }
    });

    it('CLI changes reach both instances within one second: key disabled, policy detached, unsubscribed', async () => {
      const admin = await deployment.admin();
      await admin.iam.createUser(root.accountId, 'ops');
      await admin.iam.attachPolicy(root.accountId, 'ops', 'AliyunCamsFullAccess');
      const ops = await admin.iam.createAccessKey(root.accountId, { userName: 'ops' });
      const spare = await admin.iam.createAccessKey(root.accountId);
      const probe = (endpoint: string, creds: Credentials) => () =>
        code(clientFor(endpoint, creds).queryChatappPhoneNumbers(query(root.custSpaceId)));
      const both = (creds: Credentials) => [probe(a.endpoint, creds), probe(b.endpoint, creds)] as const;
      for (const creds of [ops, spare]) for (const call of both(creds)) expect(await call()).toBeUndefined();

      const cli = async (...args: string[]) => {
        const r = await runCams(build.dir, args, {
          ...deployment.env,
          CAMS_REDIS_URL: '',
          CAMS_LOG_LEVEL: 'warn',
        });
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      };
      await cli('key', 'disable', spare.accessKeyId, '--account', root.accountId);
      expect(await untilBoth(...both(spare), 'InvalidAccessKeyId.Inactive')).toBeLessThan(1000);

      await cli(
        'policy',
        'detach',
        '--account',
        root.accountId,
        '--user',
        'ops',
        '--policy',
        'AliyunCamsFullAccess',
      );
      expect(await untilBoth(...both(ops), 'Ram.PermissionDeny')).toBeLessThan(1000);

      await cli('account', 'unsubscribe', root.accountId);
      expect(await untilBoth(...both(root), 'Product.Unsubscript')).toBeLessThan(1000);
      expect([a.stderr(), b.stderr()]).toEqual(['', '']); // neither crashed on the way
    });
  },
);
