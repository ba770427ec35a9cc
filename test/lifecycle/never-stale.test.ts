/**
 * Never stale: a display-name decision whose time has come is on the very next read, through the official
 * SDK, with the reconciler off (CAMS_SYNC_INTERVAL_MS=0) so it cannot be what makes the read fresh; its
 * status event is recorded once, however often the reconciler or a sync looks again afterwards. With Meta
 * (CAMS_UPSTREAM=graph) the service learns a decision from a sync (or the reconciler): from then on every
 * read shows it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CamsModels, startServer, type TestServer } from '../support/server.js';
import { startGraphServer, type GraphServer } from '../contract/graph-server.js';
import type { GraphHarness } from '../contract/harness.js';
import { eventually, startReceiver, type Receiver } from '../webhooks/receiver.js';
import { SCHEDULE_TTL_MS } from '../../src/domain/fresh-reads.js';
import {
  add,
  advance,
  client,
  DAY,
  e164,
  NAME_REVIEW_MS,
  numbers,
  OPERATOR_TOKEN,
  query,
  queryOne,
  readCode,
  requestCode,
  type Client,
} from './helpers.js';

describe('with the embedded simulator', () => {
  let s: TestServer;
  let c: Client;
  let r: Receiver;
  const next = numbers(8100);

  beforeAll(async () => {
    s = await startServer(
      {
        CAMS_SYNC_INTERVAL_MS: '0',
        CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
        CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true',
      },
      { webhookOptions: { backoffBaseMs: 50, backoffMaxMs: 200, pollIntervalMs: 50, timeoutMs: 1000 } },
    );
    c = client(s, s.root);
    r = await startReceiver();
    const hook = new CamsModels.UpdateAccountWebhookRequest({
      custSpaceId: s.root.custSpaceId,
      statusCallbackUrl: r.url,
    });
    expect((await c.updateAccountWebhook(hook)).body?.code).toBe('OK');
  });
  afterAll(async () => {
    await s.close();
    await r.close();
  });

  /** The NameStatus events of one number, as recorded for the customer's webhook. */
  const nameEvents = async (phoneNumber: string) =>
    (await s.app.webhooks.listEvents(s.root.accountId, { limit: 1000 })).filter((e) => {
      const data = e.payload.Data as { PhoneNumber?: string; ChangedFields?: string[] };
      return data.PhoneNumber === phoneNumber && data.ChangedFields?.includes('NameStatus');
    });

  it('the next Query after the review is due shows the decision, and its event is recorded once', async () => {
    const space = s.root.custSpaceId;
    const approved = e164(next());
    const declined = e164(next());
    await add(c, space, approved.slice(2));
    await add(c, space, declined.slice(2), 'Fashion');
    expect((await queryOne(c, space, approved))?.nameStatus).toBe('Pending_Review');

    await advance(s, NAME_REVIEW_MS); // the operator moves simulator time, nothing else happens
    const listed = await query(c, space);
    expect(listed.find((n) => n.phoneNumber === approved)?.nameStatus).toBe('Approval');
    expect(listed.find((n) => n.phoneNumber === declined)?.nameStatus).toBe('Rejected');
    expect(await nameEvents(approved)).toHaveLength(1);
    expect(await nameEvents(declined)).toHaveLength(1);

    // The reconciler's visits and a sync find nothing new to announce.
    const spaceRecord = (await s.app.spaceRepo.get(s.root.accountId, space))!;
    await s.app.lifecycle.reconcileSpace(spaceRecord, false);
    await s.app.lifecycle.reconcileSpace(spaceRecord, true);
    await s.app.lifecycle.sync(s.root.accountId, space, { limit: 100 });
    await query(c, space);
    expect(await nameEvents(approved)).toHaveLength(1);
    expect(await nameEvents(declined)).toHaveLength(1);
    // ...and delivered once to the customer's webhook.
    await eventually(() => {
      const names = r.of(approved).filter((h) => h.payload?.Data.ChangedFields.includes('NameStatus'));
      expect(names.map((h) => h.payload?.Data.NameStatus)).toEqual(['Approval']);
    });
  });

  it('reads of settled numbers or of reviews not yet due do not ask upstream', async () => {
    const space = s.root.custSpaceId;
    const phoneNumber = e164(next());
    await add(c, space, phoneNumber.slice(2));
    const get = vi.spyOn(s.app.simulator, 'getPhoneNumber');
    const list = vi.spyOn(s.app.simulator, 'listPhoneNumbers');
    try {
      for (let i = 0; i < 3; i++)
        expect((await queryOne(c, space, phoneNumber))?.nameStatus).toBe('Pending_Review');
      expect(get).not.toHaveBeenCalled();
      expect(list).not.toHaveBeenCalled();
      await advance(s, NAME_REVIEW_MS);
      expect((await queryOne(c, space, phoneNumber))?.nameStatus).toBe('Approval');
      expect(get).toHaveBeenCalledTimes(1); // the one number that was due
      await query(c, space);
      expect(get).toHaveBeenCalledTimes(1);
    } finally {
      get.mockRestore();
      list.mockRestore();
    }
  });

  it('a verification that lapses (verified, never registered) is EXPIRED on the next Query', async () => {
    const space = s.root.custSpaceId;
    const phoneNumber = e164(next());
    await add(c, space, phoneNumber.slice(2));
    await requestCode(c, space, phoneNumber);
    const verifyCode = await readCode(s, phoneNumber);
    const res = await c.getPreValidatePhoneId(
      new CamsModels.GetPreValidatePhoneIdRequest({ phoneNumber, verifyCode }),
    );
    expect(res.body?.code).toBe('OK');
    expect((await queryOne(c, space, phoneNumber))?.codeVerificationStatus).toBe('VERIFIED');
    await advance(s, 15 * DAY);
    expect((await queryOne(c, space, phoneNumber))?.codeVerificationStatus).toBe('EXPIRED');
  });

  it("an operator's decision is on a read a second later (another instance's schedule may be that old)", async () => {
    const space = s.root.custSpaceId;
    const phoneNumber = e164(next());
    await add(c, space, phoneNumber.slice(2));
    expect((await queryOne(c, space, phoneNumber))?.nameStatus).toBe('Pending_Review');
    const { upstreamId } = (await s.app.phoneNumbers.locate(s.root.accountId, space, phoneNumber)).record;
    await s.app.simulator.setNameReview(upstreamId, {
      decision: 'DECLINED',
      reason: 'NAME_NOT_CONSISTENT',
      explanation: 'Decided by the operator.',
    });
    await new Promise((resolve) => setTimeout(resolve, SCHEDULE_TTL_MS + 50));
    expect((await queryOne(c, space, phoneNumber))?.nameStatus).toBe('Rejected');
    expect(await nameEvents(phoneNumber)).toHaveLength(1);
  });
});

describe('with Meta (CAMS_UPSTREAM=graph)', () => {
  let g: GraphServer;
  let upstream: GraphHarness;
  let c: Client;
  let space: string;

  beforeAll(async () => {
    g = await startGraphServer();
    ({ upstream, custSpaceId: space } = g);
    c = client({ endpoint: g.endpoint } as TestServer, g.key);
  });

  afterAll(() => g?.close());

  it('reads are from the store, and once a sync has stored the decision every read shows it', async () => {
    const phoneNumber = '8613800138200';
    await add(c, space, phoneNumber.slice(2));
    await upstream.sim.advanceClock(NAME_REVIEW_MS);
    const get = vi.spyOn(upstream.sim, 'getPhoneNumber');
    try {
      // Meta has decided, the service has not heard: a read costs no Graph call.
      expect((await queryOne(c, space, phoneNumber))?.nameStatus).toBe('Pending_Review');
      expect(get).not.toHaveBeenCalled();
    } finally {
      get.mockRestore();
    }
    await c.chatappSyncPhoneNumber(new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: space }));
    for (let i = 0; i < 3; i++) expect((await queryOne(c, space, phoneNumber))?.nameStatus).toBe('Approval');
  });
});
