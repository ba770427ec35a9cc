/**
 * A display name the review declines: the reason reaches the customer in the status webhook event, in
 * QueryChatappPhoneNumbers as NameRejectionReason (raw HTTP shows it; the official SDK, which does not know
 * the field, still works), and the operator sees it through GET /_admin/numbers and `cams number list`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { CamsModels, startServer, type TestServer } from '../support/server.js';
import { signedV1 } from '../wire/helpers.js';
import { eventually, startReceiver, type Receiver } from '../webhooks/receiver.js';
import {
  add,
  admin,
  client,
  e164,
  NAME_REVIEW_MS,
  OPERATOR_TOKEN,
  queryOne,
  type Client,
} from './helpers.js';

let s: TestServer;
let c: Client;
let space: string;
let r: Receiver;
const GENERIC = e164('13800138600'); // "Fashion": a generic term
const SHOUTED = e164('13800138601'); // URL formatting
const FINE = e164('13800138602');

beforeAll(async () => {
  // Query answers from the store; the review's decision reaches it through the reconciler (every 100 ms).
  s = await startServer(
    {
      CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
      CAMS_SYNC_INTERVAL_MS: '100',
      CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true',
    },
    {
      webhookOptions: {
        backoffBaseMs: 50,
        backoffMaxMs: 200,
        pollIntervalMs: 50,
        timeoutMs: 1000,
        leaseMs: 5000,
      },
    },
  );
  c = client(s, s.root);
  space = s.root.custSpaceId;
  r = await startReceiver();
  await c.updateAccountWebhook(
    new CamsModels.UpdateAccountWebhookRequest({ custSpaceId: space, statusCallbackUrl: r.url }),
  );
  await add(c, space, GENERIC.slice(2), 'Fashion');
  await add(c, space, SHOUTED.slice(2), 'FREE STUFF www.deals.com');
  await add(c, space, FINE.slice(2), 'Alibaba Cloud');
  await s.app.simulator.advanceClock(NAME_REVIEW_MS);
  // Every review decided and stored (eventually polls; expect.poll only runs inside a test).
  await eventually(
    async () => {
      for (const [pn, status] of [
        [GENERIC, 'Rejected'],
        [SHOUTED, 'Rejected'],
        [FINE, 'Approval'],
      ])
        expect((await queryOne(c, space, pn!))?.nameStatus).toBe(status);
    },
    10_000,
    100,
  );
});
afterAll(async () => {
  await r?.close();
  await s?.close();
});

describe.sequential('a declined display name says why', () => {
  it('the official SDK still reads the number, NameStatus Rejected', async () => {
    expect(await queryOne(c, space, GENERIC)).toMatchObject({
      nameStatus: 'Rejected',
      verifiedName: 'Fashion',
      status: 'PENDING',
    });
  });

  it('QueryChatappPhoneNumbers over raw HTTP carries NameRejectionReason, only on rejected names', async () => {
    const { url, init } = signedV1(s, s.root, 'QueryChatappPhoneNumbers', { CustSpaceId: space });
    const res = await fetch(url, init);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { Code: string; PhoneNumbers: Array<Record<string, string>> };
    expect(body.Code).toBe('OK');
    const byNumber = Object.fromEntries(body.PhoneNumbers.map((n) => [n.PhoneNumber, n]));
    expect(byNumber[GENERIC]).toMatchObject({
      NameStatus: 'Rejected',
      NameRejectionReason: 'NAME_NOT_CONSISTENT',
    });
    expect(byNumber[SHOUTED]).toMatchObject({
      NameStatus: 'Rejected',
      NameRejectionReason: 'NAME_FORMAT_UNACCEPTABLE',
    });
    expect(byNumber[FINE]!.NameStatus).toBe('Approval');
    expect(byNumber[FINE]).not.toHaveProperty('NameRejectionReason');
  });

  it('the status webhook event of the decision carries the reason', async () => {
    const decided = (pn: string) =>
      eventually(() => {
        const hit = r.of(pn).find((h) => h.payload?.Data.ChangedFields.includes('NameStatus'));
        expect(hit).toBeDefined();
        return hit!.payload!.Data;
      });
    expect(await decided(GENERIC)).toMatchObject({
      PhoneNumber: GENERIC,
      NameStatus: 'Rejected',
      NameRejectionReason: 'NAME_NOT_CONSISTENT',
      Previous: { NameStatus: 'Pending_Review' },
    });
    expect(await decided(SHOUTED)).toMatchObject({ NameRejectionReason: 'NAME_FORMAT_UNACCEPTABLE' });
    const approved = await decided(FINE);
    expect(approved.NameStatus).toBe('Approval');
    expect(approved).not.toHaveProperty('NameRejectionReason');
  });

  it('the operator API lists the numbers of a space with the reason', async () => {
    const res = await admin(s, 'GET', `/_admin/numbers?custSpaceId=${space}`);
    expect(res.status).toBe(200);
    const listed = res.body.Numbers as Array<Record<string, string>>;
    expect(listed.find((n) => n.phoneNumber === GENERIC)).toMatchObject({
      verifiedName: 'Fashion',
      nameStatus: 'Rejected',
      nameRejectionReason: 'NAME_NOT_CONSISTENT',
    });
    expect(listed.find((n) => n.phoneNumber === FINE)).toMatchObject({
      nameStatus: 'Approval',
      nameRejectionReason: '',
    });
    // No secret in the listing: the sealed PIN and internal IDs stay in the store.
    for (const n of listed)
      expect(Object.keys(n).filter((k) => /pin|sealed|secret|token/i.test(k))).toEqual([]);
  });

  it('the operator API refuses a missing or unknown space with a clear error', async () => {
    expect(await admin(s, 'GET', '/_admin/numbers')).toMatchObject({
      status: 400,
      body: { Code: 'InvalidParameter', Message: expect.stringContaining('custSpaceId') },
    });
    expect(await admin(s, 'GET', '/_admin/numbers?custSpaceId=cams-nosuchspace')).toMatchObject({
      status: 400,
      body: { Code: 'InvalidParameter', Message: 'no customer space cams-nosuchspace' },
    });
  });

  it('cams number list shows the reason', async () => {
    const run = async (...args: string[]) => {
      let out = '';
      let err = '';
      const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
      const code = await runCli(
        ['--data-dir', s.dataDir, 'number', 'list', '--space', space, ...args],
        io,
        {},
      );
      return { code, out, err };
    };
    const json = await run('--json');
    expect({ code: json.code, err: json.err }).toEqual({ code: 0, err: '' });
    expect(
      (JSON.parse(json.out) as Array<Record<string, string>>).find((n) => n.phoneNumber === SHOUTED),
    ).toMatchObject({ nameStatus: 'Rejected', nameRejectionReason: 'NAME_FORMAT_UNACCEPTABLE' });
    const table = await run();
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(
      /^phoneNumber\s+verifiedName\s+status\s+nameStatus\s+nameRejectionReason/,
    );
    expect(table.out.split('\n').find((l) => l.startsWith(GENERIC))).toMatch(
      /Fashion\s+PENDING\s+Rejected\s+NAME_NOT_CONSISTENT/,
    );
  });
});
