/**
 * The console's API over real HTTP (src/web/console/): sign-in and its cookie, sessions that a lost or
 * forged cookie cannot use, CSRF and Origin checks on every write, the sign-in rate limit, the audit
 * trail of console writes, and bounded keyset pages of a space with 10,000 numbers.
 */
import { createHash } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhoneNumberRecord } from '../../src/domain/number-state.js';
import { numberPageQuery } from '../../src/store/phone-numbers-repo.js';
import { startServer, type TestServer } from '../support/server.js';
import { ConsoleClient, OPERATOR_TOKEN } from './console-support.js';

let s: TestServer;
let addresses = 0;
/** A client from an address of its own, so the sign-in limit of one test does not touch another. */
const client = () => new ConsoleClient(s, `198.51.100.${++addresses}`);
async function signedIn(): Promise<ConsoleClient> {
  const c = client();
  expect((await c.signIn()).status).toBe(201);
  return c;
}

beforeAll(async () => {
  s = await startServer(
    {
      CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
      CAMS_TRUST_PROXY: 'true',
      CAMS_SYNC_INTERVAL_MS: '0',
      CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true',
    },
    { webhookOptions: { maxAttempts: 1, pollIntervalMs: 20, timeoutMs: 1_000 } },
  );
});
afterAll(() => s.close());

describe('signing in', () => {
  it('serves the page without data to anyone, but the API refuses without a session', async () => {
    const page = await fetch(`http://${s.endpoint}/console`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toContain(OPERATOR_TOKEN);
    expect(html).not.toContain(s.root.accountId);

    const c = client();
    const asked = await c.call('GET', 'session');
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ signedIn: false });
    for (const path of ['accounts', 'audit', 'sim/outbox', `accounts/${s.root.accountId}/keys`]) {
      const answer = await c.call('GET', path);
      expect(answer.status, path).toBe(401);
      expect(answer.body).toMatchObject({ Code: 'Unauthorized' });
    }
    expect((await c.call('POST', 'accounts', { name: 'x' })).status).toBe(401);
  });

  it('refuses a wrong token, and gives the right one an HttpOnly, SameSite=Strict cookie for /console', async () => {
    const c = client();
    const wrong = await c.signIn('not-the-operator-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const right = await c.signIn();
    expect(right.status).toBe(201);
    const setCookie = right.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^cams_console=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/console');
    // Plain http: a Secure cookie would never come back.
    expect(setCookie).not.toContain('Secure');
    expect(right.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(right.body)).not.toContain(c.cookie!.split('=')[1]);

    const accounts = await c.call('GET', 'accounts');
    expect(accounts.status).toBe(200);
    expect(accounts.body.accounts).toContainEqual(expect.objectContaining({ id: s.root.accountId }));
    // The page learns its CSRF token again after a reload.
    expect((await c.call('GET', 'session')).body.csrfToken).toBe(c.csrf);
  });

  it('marks the cookie Secure when the trusted proxy says the request came over https', async () => {
    const res = await fetch(`http://${s.endpoint}/console/api/session`, {
      method: 'POST',
      headers: {
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-proto': 'https',
        origin: `https://${s.endpoint}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ token: OPERATOR_TOKEN }),
    });
    // The proxy's word for https: the cookie is Secure.
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('gives nothing to a forged, altered or signed-out cookie', async () => {
    const c = await signedIn();
    const forged = `cams_console=${'A'.repeat(43)}`;
    expect((await c.call('GET', 'accounts', undefined, { cookie: forged })).status).toBe(401);
    const altered = c.cookie!.slice(0, -1) + (c.cookie!.endsWith('A') ? 'B' : 'A');
    expect((await c.call('GET', 'accounts', undefined, { cookie: altered })).status).toBe(401);

    const out = await c.call('DELETE', 'session');
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await c.call('GET', 'accounts')).status).toBe(401);
  });

  it('keeps sessions in the store by the digest of their id, never the id', async () => {
    const c = await signedIn();
    const id = c.cookie!.split('=')[1]!;
    const rows = await s.app.db.selectFrom('console_sessions').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(id);
    const key = createHash('sha256').update(id).digest('base64url');
    expect(rows.map((r) => r.key)).toContain(key);
    await c.call('DELETE', 'session');
    expect(
      await s.app.db.selectFrom('console_sessions').selectAll().where('key', '=', key).execute(),
    ).toEqual([]);
  });

  it('ends a session that stays idle longer than CAMS_CONSOLE_SESSION_IDLE_MINUTES', async () => {
    const c = await signedIn();
    s.clock.offsetMs += 29 * 60_000;
    expect((await c.call('GET', 'accounts')).status).toBe(200);
    s.clock.offsetMs += 29 * 60_000; // 58 minutes after sign-in, 29 after the last use
    expect((await c.call('GET', 'accounts')).status).toBe(200);
    s.clock.offsetMs += 31 * 60_000;
    expect((await c.call('GET', 'accounts')).status).toBe(401);
  });

  it('limits failed sign-ins to 5 a minute per address and says when to retry', async () => {
    const c = client();
    // Signing in is not failing: these do not count.
    for (let i = 0; i < 6; i++) expect((await c.signIn()).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await c.signIn('wrong-token-wrong-token')).status).toBe(401);
    const limited = await c.signIn(); // even the right token
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address is not affected.
    expect((await client().signIn()).status).toBe(201);
    s.clock.offsetMs += 61_000;
    expect((await c.signIn()).status).toBe(201);
  });
});

describe('writes', () => {
  it('need the CSRF token and this origin', async () => {
    const c = await signedIn();
    const body = { name: 'csrf check' };
    const noToken = await c.call('POST', 'accounts', body, { csrf: null });
    expect(noToken.status).toBe(403);
    expect(noToken.body).toMatchObject({ Code: 'Forbidden.Csrf' });
    const other = await signedIn();
    expect((await c.call('POST', 'accounts', body, { csrf: other.csrf! })).status).toBe(403);
    const foreign = await c.call('POST', 'accounts', body, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ Code: 'Forbidden.Origin' });
    expect((await c.call('POST', 'accounts', body, { origin: null })).status).toBe(403);
    const names = ((await c.call('GET', 'accounts')).body.accounts as Array<{ name: string }>).map(
      (a) => a.name,
    );
    expect(names).not.toContain('csrf check');

    const made = await c.call('POST', 'accounts', body);
    expect(made.status).toBe(201);
  });

  it('are recorded in the audit trail as the console', async () => {
    const c = await signedIn();
    const made = await c.call('POST', 'accounts', { name: 'audited', subscribed: false });
    const id = (made.body.account as { id: string }).id;
    const audit = await c.call('GET', `audit?account=${id}`);
    expect(audit.body.events).toEqual([
      expect.objectContaining({ identity: 'console', action: 'console POST /accounts', code: 'OK' }),
    ]);
    const refused = await c.call('POST', `accounts/${id}/users`, { name: 'bad name!' });
    expect(refused.status).toBe(400);
    const events = (await c.call('GET', `audit?account=${id}`)).body.events as Array<{ code: string }>;
    expect(events.map((e) => e.code)).toEqual(['InvalidParameter', 'OK']);
  });

  it('go through the CLI services: users, keys shown once, policies with their messages, attach and detach', async () => {
    const c = await signedIn();
    const a = s.root.accountId;
    expect((await c.call('POST', `accounts/${a}/users`, { name: 'alice' })).status).toBe(201);
    const key = await c.call('POST', `accounts/${a}/keys`, { userName: 'alice' });
    expect(key.status).toBe(201);
    const created = key.body.key as { accessKeyId: string; accessKeySecret: string };
    expect(created.accessKeySecret.length).toBeGreaterThanOrEqual(16);
    const listed = await c.call('GET', `accounts/${a}/keys`);
    expect(JSON.stringify(listed.body)).not.toContain(created.accessKeySecret);
    expect(listed.body.keys).toContainEqual(
      expect.objectContaining({ id: created.accessKeyId, status: 'Active' }),
    );
    await c.call('POST', `accounts/${a}/keys/${created.accessKeyId}/status`, { status: 'Inactive' });
    expect((await c.call('GET', `accounts/${a}/keys`)).body.keys).toContainEqual(
      expect.objectContaining({ id: created.accessKeyId, status: 'Inactive' }),
    );

    const bad = await c.call('POST', `accounts/${a}/policies`, {
      name: 'broken',
      document: '{"Version":"1","Statement":[{"Effect":"Maybe"}]}',
    });
    expect(bad.status).toBe(400);
    // The CLI's message: the service's, word for word.
    const cli = await s.app.iam
      .createPolicy(a, 'broken', '{"Version":"1","Statement":[{"Effect":"Maybe"}]}')
      .catch((e: Error) => e.message);
    expect(bad.body).toEqual({ Code: 'InvalidParameter', Message: cli });

    const doc = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'cams:Query*', Resource: '*' }],
    });
    expect((await c.call('POST', `accounts/${a}/policies`, { name: 'readers', document: doc })).status).toBe(
      201,
    );
    expect((await c.call('POST', `accounts/${a}/users/alice/policies`, { policy: 'readers' })).status).toBe(
      200,
    );
    expect((await c.call('GET', `accounts/${a}/users/alice/policies`)).body.policies).toEqual([
      { name: 'readers', type: 'Custom' },
    ]);
    expect((await c.call('DELETE', `accounts/${a}/users/alice/policies/readers`)).status).toBe(200);
    expect((await c.call('GET', `accounts/${a}/users/alice/policies`)).body.policies).toEqual([]);
    const again = await c.call('DELETE', `accounts/${a}/users/alice/policies/readers`);
    expect(again.body).toEqual({
      Code: 'InvalidParameter',
      Message: 'policy readers is not attached to alice',
    });
  });

  it('onboard a number: add, request a code, read it in the outbox, verify and register', async () => {
    const c = await signedIn();
    const base = `accounts/${s.root.accountId}/spaces/${s.root.custSpaceId}/numbers`;
    const added = await c.call('POST', base, {
      cc: '86',
      phoneNumber: '13800140001',
      verifiedName: 'Console Onboarding',
    });
    expect(added.status).toBe(201);
    expect((await c.call('POST', `${base}/8613800140001/code`, { method: 'sms' })).status).toBe(200);
    const outbox = await c.call('GET', 'sim/outbox?phoneNumber=8613800140001');
    const code = (outbox.body.messages as Array<{ code: string }>).at(-1)!.code;
    const verified = await c.call('POST', `${base}/8613800140001/verify`, { code });
    expect(verified.status).toBe(200);
    expect(verified.body.number).toMatchObject({ codeVerificationStatus: 'VERIFIED' });
    // The simulator reviews the display name before the number can register: its clock moves on.
    const early = await c.call('POST', `${base}/8613800140001/register`);
    expect(early.body).toMatchObject({ Code: 'PhoneNumber.DisplayNameNotReady' });
    expect((await c.call('POST', 'sim/clock', { advance: '1m' })).status).toBe(200);
    const registered = await c.call('POST', `${base}/8613800140001/register`);
    expect(registered.status).toBe(200);
    expect(registered.body.number).toMatchObject({ status: 'CONNECTED', nameStatus: 'Approval' });
    expect(JSON.stringify(registered.body)).not.toMatch(/pin/i);

    const wrong = await c.call('POST', base, { cc: '86', phoneNumber: '12', verifiedName: 'x' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.Code).toBe('InvalidParameter');
  });

  it('show every delivery attempt of a webhook event and redeliver a failed one', async () => {
    const c = await signedIn();
    const a = s.root.accountId;
    const space = (await s.app.spaces.create(a, { name: 'hooked' })).id;
    // A receiver that is not there: every attempt fails, and with one attempt allowed the event fails.
    await s.app.spaceRepo.setWebhook(a, space, { statusCallbackUrl: 'http://127.0.0.1:9/hook' });
    const added = await c.call('POST', `accounts/${a}/spaces/${space}/numbers`, {
      cc: '86',
      phoneNumber: '13800140009',
      verifiedName: 'Hooked Shop',
    });
    expect(added.status).toBe(201);
    await c.call('POST', `accounts/${a}/spaces/${space}/numbers/8613800140009/code`, { method: 'sms' });
    const sent = await c.call('GET', 'sim/outbox?phoneNumber=8613800140009');
    const code = (sent.body.messages as Array<{ code: string }>).at(-1)!.code;
    // Verified: the number's CodeVerificationStatus changes, which is an event for the space's webhook.
    await c.call('POST', `accounts/${a}/spaces/${space}/numbers/8613800140009/verify`, { code });
    const failedEvent = async () => {
      const events = (await c.call('GET', `accounts/${a}/webhooks?status=failed`)).body.events as Array<{
        id: string;
        url: string;
      }>;
      return events.find((e) => e.url === 'http://127.0.0.1:9/hook');
    };
    await expect.poll(failedEvent, { timeout: 10_000 }).toBeDefined();
    const event = (await failedEvent())!;
    const attempts = await c.call('GET', `accounts/${a}/webhooks/${event.id}/attempts`);
    expect(attempts.body.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'failed', statusCode: null, error: expect.any(String) }),
    ]);

    const again = await c.call('POST', `accounts/${a}/webhooks/${event.id}/redeliver`);
    expect(again.status).toBe(200);
    await expect
      .poll(async () => {
        const list = (await c.call('GET', `accounts/${a}/webhooks/${event.id}/attempts`)).body.attempts;
        return (list as unknown[]).length;
      })
      .toBe(2);
    const other = await c.call(
      'POST',
      `accounts/${a}/webhooks/00000000-0000-0000-0000-000000000000/redeliver`,
    );
    expect(other.status).toBe(400);
    expect((await c.call('GET', `accounts/${a}/webhooks?status=sent`)).status).toBe(400);
  });

  it("show why a display name was rejected, and filter by the review's outcome", async () => {
    const c = await signedIn();
    const a = s.root.accountId;
    const space = (await s.app.spaces.create(a, { name: 'review' })).id;
    const base = `accounts/${a}/spaces/${space}/numbers`;
    await c.call('POST', base, { cc: '86', phoneNumber: '13800140020', verifiedName: 'Fashion' });
    await c.call('POST', base, { cc: '86', phoneNumber: '13800140021', verifiedName: 'Lin Bakery Hangzhou' });
    await c.call('POST', 'sim/clock', { advance: '1m' });
    for (const n of ['8613800140020', '8613800140021'])
      expect((await c.call('POST', `${base}/${n}/refresh`)).status).toBe(200);
    const rejected = await c.call('GET', `${base}?nameStatus=Rejected`);
    expect(rejected.body.numbers).toEqual([
      expect.objectContaining({
        phoneNumber: '8613800140020',
        nameStatus: 'Rejected',
        nameRejectionReason: expect.stringMatching(/^NAME_/),
      }),
    ]);
    const approved = await c.call('GET', `${base}?nameStatus=Approval`);
    expect(approved.body.numbers).toEqual([
      expect.objectContaining({ phoneNumber: '8613800140021', nameRejectionReason: '' }),
    ]);
  });

  it('a space list shows WABAs and whether a space has its own token, never the token', async () => {
    const c = await signedIn();
    await s.app.spaces.setGraphToken(s.root.accountId, s.root.custSpaceId, 'EAAG-secret-token-0123456789');
    const spaces = await c.call('GET', `accounts/${s.root.accountId}/spaces`);
    expect(spaces.body.spaces).toContainEqual(
      expect.objectContaining({ id: s.root.custSpaceId, ownToken: true, wabaId: expect.any(String) }),
    );
    expect(JSON.stringify(spaces.body)).not.toContain('EAAG-secret');
  });
});

describe('a space with 10,000 numbers', () => {
  let space: string;
  const TOTAL = 10_000;

  beforeAll(async () => {
    const account = s.root.accountId;
    space = (await s.app.spaces.create(account, { name: 'large' })).id;
    const rows = Array.from({ length: TOTAL }, (_, i) => {
      const r = newPhoneNumberRecord({
        accountId: account,
        custSpaceId: space,
        cc: '86',
        nationalNumber: `1390000${String(i).padStart(4, '0')}`,
        verifiedName: `Number ${i}`,
        nowIso: new Date().toISOString(),
      });
      return {
        id: r.id,
        account_id: account,
        cust_space_id: space,
        upstream_id: `up-${i}`,
        cc: r.cc,
        national_number: r.nationalNumber,
        e164: r.e164,
        verified_name: r.verifiedName,
        status: i % 10 === 0 ? 'CONNECTED' : 'PENDING',
        code_verification_status: 'NOT_VERIFIED',
        name_status: 'Pending_Review',
        new_name_status: '',
        name_rejection_reason: null,
        quality_rating: 'UNKNOWN',
        messaging_limit_tier: '',
        status_callback_url: '',
        up_callback_url: '',
        created_at: r.createdAt,
        updated_at: r.updatedAt,
        pin_sealed: null,
        http_flag: '',
        queue_flag: '',
      };
    });
    await s.app.durably(async () => {
      for (let i = 0; i < rows.length; i += 500)
        await s.app.db
          .insertInto('phone_numbers')
          .values(rows.slice(i, i + 500))
          .execute();
    });
  }, 60_000);

  it('pages through all of them in bounded pages, each after the previous cursor', async () => {
    const c = await signedIn();
    const base = `accounts/${s.root.accountId}/spaces/${space}/numbers`;
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await c.call('GET', `${base}?limit=200${cursor === undefined ? '' : `&cursor=${cursor}`}`);
      expect(page.status).toBe(200);
      const numbers = (page.body.numbers as Array<{ phoneNumber: string }>).map((n) => n.phoneNumber);
      expect(numbers.length).toBe(200);
      if (cursor !== undefined) expect(numbers[0]! > cursor).toBe(true);
      seen.push(...numbers);
      cursor = page.body.nextCursor as string | undefined;
      if (cursor !== undefined) expect(cursor).toBe(numbers.at(-1));
      pages++;
    } while (cursor !== undefined && pages < 60);
    expect(pages).toBe(50);
    expect(new Set(seen).size).toBe(TOTAL);
    expect([...seen].sort()).toEqual(seen);

    const first = await c.call('GET', base);
    expect((first.body.numbers as unknown[]).length).toBe(50);
    const tooMany = await c.call('GET', `${base}?limit=100000`);
    expect(tooMany.status).toBe(400);
  });

  it('filters by state and by prefix, with pages still bounded', async () => {
    const c = await signedIn();
    const base = `accounts/${s.root.accountId}/spaces/${space}/numbers`;
    const connected = await c.call('GET', `${base}?status=CONNECTED&limit=100`);
    const list = connected.body.numbers as Array<{ status: string; phoneNumber: string }>;
    expect(list.length).toBe(100);
    expect(list.every((n) => n.status === 'CONNECTED')).toBe(true);
    expect(connected.body.nextCursor).toBe(list.at(-1)!.phoneNumber);
    const prefixed = await c.call('GET', `${base}?prefix=861390000012&limit=200`);
    const found = (prefixed.body.numbers as Array<{ phoneNumber: string }>).map((n) => n.phoneNumber);
    expect(found).toEqual(Array.from({ length: 10 }, (_, i) => `861390000012${i}`));
    expect(prefixed.body.nextCursor).toBeUndefined();
    // A prefix that ends in 9: the range's upper bound carries (86139000009 -> 8613900001).
    const nines = await c.call('GET', `${base}?prefix=86139000009&limit=200`);
    const ninesFound = (nines.body.numbers as Array<{ phoneNumber: string }>).map((n) => n.phoneNumber);
    expect(ninesFound.length).toBe(100);
    expect([ninesFound[0], ninesFound.at(-1)]).toEqual(['8613900000900', '8613900000999']);
    expect((await c.call('GET', `${base}?cursor=not-digits`)).status).toBe(400);
  });

  it('reads them by the space index, in its order (no sort of the whole space)', async () => {
    const compiled = numberPageQuery(s.app.db, s.root.accountId, space, {
      limit: 201,
      after: '8613900001234',
      status: 'CONNECTED',
    }).compile();
    const plan = await s.app.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]),
    );
    const rows = plan.rows;
    const detail = (rows as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    expect(detail).toMatch(/SEARCH phone_numbers USING INDEX \S+ \(cust_space_id=\? AND e164>\?\)/);
    expect(detail).not.toContain('TEMP B-TREE');
  });
});

describe('bad requests', () => {
  it('are answered with what was wrong, and change nothing', async () => {
    const c = await signedIn();
    const before = ((await c.call('GET', 'accounts')).body.accounts as unknown[]).length;
    const notJson = await fetch(`http://${s.endpoint}/console/api/accounts`, {
      method: 'POST',
      headers: {
        cookie: c.cookie!,
        'x-console-csrf': c.csrf!,
        origin: c.origin,
        'x-forwarded-for': c.address,
        'content-type': 'application/json',
      },
      body: '{"name": ',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ Code: 'InvalidParameter' });
    expect((await c.call('POST', 'accounts', ['a list'])).body).toMatchObject({
      Code: 'InvalidParameter',
      Message: 'the body must be a JSON object',
    });
    expect((await c.call('POST', 'accounts', { name: 42 })).body).toMatchObject({
      Message: 'name is required',
    });
    expect((await c.call('GET', 'no/such/thing')).status).toBe(404);
    expect((await c.call('GET', `accounts/${s.root.accountId}/spaces/nope/numbers`)).body).toMatchObject({
      Code: 'Unknown.ResourceOwnerId',
    });
    expect(((await c.call('GET', 'accounts')).body.accounts as unknown[]).length).toBe(before);
  });
});

describe('without CAMS_OPERATOR_TOKEN', () => {
  it('there is no console', async () => {
    const off = await startServer();
    try {
      const page = await fetch(`http://${off.endpoint}/console`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(404);
      const signIn = await fetch(`http://${off.endpoint}/console/api/session`, {
        method: 'POST',
        headers: { origin: `http://${off.endpoint}`, 'content-type': 'application/json' },
        body: JSON.stringify({ token: '' }),
      });
      expect(signIn.status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
