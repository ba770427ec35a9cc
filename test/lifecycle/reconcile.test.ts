import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { normalizePhoneNumber } from '../../src/domain/phone-number.js';
import { NAME_REVIEW_MS } from './helpers.js';

/**
 * The background reconciler's visit of a space (LifecycleService.reconcileSpace): with the embedded
 * simulator, only the numbers in transition are re-read; a full pass lists the WABA.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startServer({ CAMS_SYNC_INTERVAL_MS: '0' }); // passes are run by hand here
});
afterAll(() => s.close());

const add = (national: string) =>
  s.app.phoneNumbers.add(s.root.accountId, {
    custSpaceId: s.root.custSpaceId,
    number: normalizePhoneNumber('86', national),
    verifiedName: 'Alibaba Cloud',
  });
const nameStatus = async (e164: string) =>
  (await s.app.phoneNumbers.list(s.root.accountId, s.root.custSpaceId)).find((n) => n.e164 === e164)
    ?.nameStatus;

describe('reconciling a space', () => {
  it('re-reads only the numbers in transition, one by one, when they are few in the space', async () => {
    for (const national of ['13800135001', '13800135003', '13800135004', '13800135005']) await add(national);
    await s.app.simulator.advanceClock(NAME_REVIEW_MS);
    await s.app.lifecycle.sync(s.root.accountId, s.root.custSpaceId, { limit: 100 }); // these four settle
    expect(await nameStatus('8613800135001')).toBe('Approval');
    await add('13800135002'); // in review: one of five
    await s.app.simulator.advanceClock(NAME_REVIEW_MS);
    const space = (await s.app.spaceRepo.get(s.root.accountId, s.root.custSpaceId))!;
    const list = vi.spyOn(s.app.simulator, 'listPhoneNumbers');
    const get = vi.spyOn(s.app.simulator, 'getPhoneNumber');
    try {
      await s.app.lifecycle.reconcileSpace(space, false);
      expect(list).not.toHaveBeenCalled();
      expect(get).toHaveBeenCalledTimes(1); // the settled numbers are not read
      expect(await nameStatus('8613800135002')).toBe('Approval');

      await s.app.lifecycle.reconcileSpace(space, true); // a full pass lists the WABA
      expect(list).toHaveBeenCalledTimes(1);

      await add('13800135006'); // in review: with the next two, more than a quarter of the space
      await add('13800135007');
      await s.app.simulator.advanceClock(NAME_REVIEW_MS);
      await s.app.lifecycle.reconcileSpace(space, false);
      expect(list).toHaveBeenCalledTimes(2); // listing is cheaper than reading each
      expect(await nameStatus('8613800135007')).toBe('Approval');
    } finally {
      list.mockRestore();
      get.mockRestore();
    }
  });
});
