/**
 * Never stale across instances: two servers over one PostgreSQL store (and the simulator's state in it).
 * A decision whose time has come is on the next read of either instance, whichever moved the clock, and
 * its event is recorded once. Skips with the reason where PostgreSQL is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresReachable,
  scratchSchema,
  SKIP_POSTGRES,
  type ScratchSchema,
} from '../../src/store/test-support.js';
import { newMasterKey } from '../scale/processes.js';
import { CamsModels, startServer, type TestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { add, advance, client, NAME_REVIEW_MS, OPERATOR_TOKEN, queryOne } from './helpers.js';

const pg = await postgresReachable();
if (!pg) console.warn(`test/lifecycle/never-stale-postgres.test.ts ${SKIP_POSTGRES}`);

describe.skipIf(!pg)('never stale on PostgreSQL, two instances', () => {
  let schema: ScratchSchema;
  let a: TestServer;
  let b: TestServer;
  let r: Receiver;

  beforeAll(async () => {
    schema = await scratchSchema();
    const env = {
      CAMS_DATABASE_URL: schema.url,
      CAMS_MASTER_KEY: newMasterKey(),
      CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
      CAMS_SYNC_INTERVAL_MS: '0',
      CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true',
    };
    a = await startServer(env);
    b = await startServer(env);
    r = await startReceiver();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await r?.close();
    await schema?.drop();
  });

  it('a decision due is on the next read of the other instance, announced once', async () => {
    const space = a.root.custSpaceId;
    const viaA = client(a, a.root);
    const viaB = client(b, a.root);
    const hook = new CamsModels.UpdateAccountWebhookRequest({ custSpaceId: space, statusCallbackUrl: r.url });
    expect((await viaA.updateAccountWebhook(hook)).body?.code).toBe('OK');
    await add(viaA, space, '13800138301');
    const phoneNumber = '8613800138301';
    expect((await queryOne(viaB, space, phoneNumber))?.nameStatus).toBe('Pending_Review');

    await advance(a, NAME_REVIEW_MS); // on A's operator API; B reads
    expect((await queryOne(viaB, space, phoneNumber))?.nameStatus).toBe('Approval');
    expect((await queryOne(viaA, space, phoneNumber))?.nameStatus).toBe('Approval');
    const events = (await a.app.webhooks.listEvents(a.root.accountId, { limit: 100 })).filter((e) =>
      (e.payload.Data as { ChangedFields?: string[] }).ChangedFields?.includes('NameStatus'),
    );
    expect(events).toHaveLength(1);
  });
});
