import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhoneNumberRecord } from '../../src/domain/number-state.js';
import { normalizePhoneNumber } from '../../src/domain/phone-number.js';
import { INTENT_LEASE_MS, PhoneNumberService } from '../../src/domain/phone-numbers.js';
import { PhoneNumbersRepo } from '../../src/store/phone-numbers-repo.js';
import { SpacesRepo } from '../../src/store/spaces-repo.js';
import { camsClient, CamsModels, sdkError, startServer, type TestServer } from '../support/server.js';

/**
 * No number may end up created upstream but unknown here, or the reverse, when a
 * call fails or the process dies between the upstream call and the local write.
 */
let s: TestServer;
let wabaId: string;
beforeAll(async () => {
  s = await startServer();
  wabaId = (await s.app.spaceRepo.get(s.root.accountId, s.root.custSpaceId))!.wabaId;
});
afterAll(() => s.close());

const client = () => camsClient(s, s.root);
const add = (phoneNumber: string) =>
  client().addChatappPhoneNumber(
    new CamsModels.AddChatappPhoneNumberRequest({
      custSpaceId: s.root.custSpaceId,
      cc: '86',
      phoneNumber,
      verifiedName: 'Alibaba Cloud',
    }),
  );
const query = async () =>
  (
    await client().queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
    )
  ).body?.phoneNumbers ?? [];
const sync = async () =>
  (
    await client().chatappSyncPhoneNumber(
      new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId: s.root.custSpaceId }),
    )
  ).body?.phoneNumbers ?? [];
const upstreamCount = async (e164: string) =>
  (await s.app.simulator.listPhoneNumbers(wabaId)).filter((n) => n.e164 === e164).length;
const rows = (e164: string) =>
  s.app.db.selectFrom('phone_numbers').selectAll().where('e164', '=', e164).execute();

/** An intent as an Add records it before calling upstream, `ageMs` ago. */
async function recordIntent(national: string, ageMs = 0): Promise<void> {
  await new PhoneNumbersRepo(s.app.db).insert(
    s.root.accountId,
    newPhoneNumberRecord({
      accountId: s.root.accountId,
      custSpaceId: s.root.custSpaceId,
      cc: '86',
      nationalNumber: national,
      verifiedName: 'Alibaba Cloud',
      nowIso: new Date(s.clock.now() - ageMs).toISOString(),
    }),
  );
}

/** The state a crash leaves: the intent was recorded, upstream created the number, the local write never happened. */
async function crashAfterUpstreamCreate(national: string): Promise<string> {
  await recordIntent(national);
  const created = await s.app.simulator.createPhoneNumber(wabaId, {
    cc: '86',
    phoneNumber: national,
    verifiedName: 'Alibaba Cloud',
  });
  return created.id;
}

describe('consistency between the store and upstream', () => {
  it('a crash after the upstream create: the unfinished number is invisible, and an Add retried after the intent lease adopts it', async () => {
    const upstreamId = await crashAfterUpstreamCreate('13800138101');
    expect((await query()).map((n) => n.phoneNumber)).not.toContain('8613800138101');
    // Within the lease the Add that recorded the intent may still be running (on another instance).
    const early = await sdkError(add('13800138101'));
    expect(early.code).toBe('PhoneNumber.Exists');
    expect(early.message).toMatch(/being added .* by another request/);
    s.clock.offsetMs += INTENT_LEASE_MS + 1000;
    await expect(add('13800138101')).resolves.toBeDefined();
    expect(await upstreamCount('8613800138101')).toBe(1);
    expect(await rows('8613800138101')).toEqual([expect.objectContaining({ upstream_id: upstreamId })]);
    expect((await query()).filter((n) => n.phoneNumber === '8613800138101')).toHaveLength(1);
  });

  it('a crash after the upstream create: ChatappSyncPhoneNumber adopts the number', async () => {
    const upstreamId = await crashAfterUpstreamCreate('13800138102');
    const synced = await sync();
    expect(synced.filter((n) => n.phoneNumber === '8613800138102')).toHaveLength(1);
    expect(await rows('8613800138102')).toEqual([expect.objectContaining({ upstream_id: upstreamId })]);
    expect(await upstreamCount('8613800138102')).toBe(1);
  });

  it('a number created upstream out of band is adopted by sync', async () => {
    await s.app.simulator.createPhoneNumber(wabaId, {
      cc: '86',
      phoneNumber: '13800138103',
      verifiedName: 'Alibaba Cloud',
    });
    expect((await query()).map((n) => n.phoneNumber)).not.toContain('8613800138103');
    expect((await sync()).map((n) => n.phoneNumber)).toContain('8613800138103');
    const err = await sdkError(add('13800138103'));
    expect(err.code).toBe('PhoneNumber.Exists');
  });

  it('a definitive refusal leaves no trace, and the next Add creates the number once', async () => {
    await s.app.simulator.injectFault({
      operation: 'createPhoneNumber',
      scope: { e164: '8613800138104' },
      times: 1,
      error: { code: 100, message: 'Invalid parameter' },
    });
    expect((await sdkError(add('13800138104'))).code).toBe('InvalidParameter');
    expect(await rows('8613800138104')).toHaveLength(0);
    await add('13800138104');
    expect(await upstreamCount('8613800138104')).toBe(1);
    expect(await rows('8613800138104')).toHaveLength(1);
  });

  it('an ambiguous failure (5xx) keeps the intent; the retry checks upstream first and creates once', async () => {
    await s.app.simulator.injectFault({
      operation: 'createPhoneNumber',
      scope: { e164: '8613800138105' },
      times: 1,
      error: { code: 2, message: 'Service temporarily unavailable', httpStatus: 503, transient: true },
    });
    const err = await sdkError(add('13800138105'));
    expect(err.code).toBe('Upstream.Unavailable');
    expect(await rows('8613800138105')).toEqual([expect.objectContaining({ upstream_id: '' })]);
    expect((await query()).map((n) => n.phoneNumber)).not.toContain('8613800138105');
    await add('13800138105');
    expect(await upstreamCount('8613800138105')).toBe(1);
    expect(await rows('8613800138105')).toEqual([
      expect.objectContaining({ upstream_id: expect.stringMatching(/^\d+$/) }),
    ]);
  });

  it('an Add in flight on another instance (intent recorded, not yet upstream): the same Add here answers PhoneNumber.Exists and creates nothing', async () => {
    await recordIntent('13800138107');
    const err = await sdkError(add('13800138107'));
    expect(err.code).toBe('PhoneNumber.Exists');
    expect(err.message).toContain('being added');
    expect(await upstreamCount('8613800138107')).toBe(0);
    expect(await rows('8613800138107')).toEqual([expect.objectContaining({ upstream_id: '' })]);
  });

  it('an intent whose instance died before calling upstream (lease lapsed): the next Add takes it over and creates the number once', async () => {
    await recordIntent('13800138108', 11 * 60 * 1000);
    await expect(add('13800138108')).resolves.toBeDefined();
    expect(await upstreamCount('8613800138108')).toBe(1);
    expect(await rows('8613800138108')).toEqual([
      expect.objectContaining({ upstream_id: expect.stringMatching(/^\d+$/) }),
    ]);
  });

  it('two instances adding the same number at the same moment: it is created once and stored once; exactly one Add answers OK, the other PhoneNumber.Exists', async () => {
    // Two services over one store stand for two processes: their in-process locks do not see each other.
    const other = () =>
      new PhoneNumberService({
        spaces: new SpacesRepo(s.app.db),
        numbers: new PhoneNumbersRepo(s.app.db),
        upstream: s.app.simulator,
        clock: s.app.clock,
      });
    const input = {
      custSpaceId: s.root.custSpaceId,
      number: normalizePhoneNumber('86', '13800138106'),
      verifiedName: 'Alibaba Cloud',
    };
    const outcomes = await Promise.allSettled([
      other().add(s.root.accountId, input),
      other().add(s.root.accountId, input),
    ]);
    const fulfilled = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(fulfilled).toHaveLength(1);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(refused).toEqual([expect.objectContaining({ code: 'PhoneNumber.Exists' })]);
    expect(await upstreamCount('8613800138106')).toBe(1);
    expect(await rows('8613800138106')).toHaveLength(1);
  });

  it('after all of the above, local and upstream agree number for number', async () => {
    const local = (await sync()).map((n) => n.phoneNumber).sort();
    const remote = (await s.app.simulator.listPhoneNumbers(wabaId)).map((n) => n.e164).sort();
    expect(local).toEqual(remote);
  });
});
