import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../errors/index.js';
import { FAULT_PRESETS, scopeMatches } from './faults.js';
import { createVerified, simulatorHarness } from './testing.js';

const harness = simulatorHarness();
afterEach(() => harness.cleanup());

const named = (n: number) => ({ cc: '86', phoneNumber: `1380013800${n}`, verifiedName: 'Alibaba Cloud' });

describe('fault injection', () => {
  it('fails the next matching call once, then gets out of the way', async () => {
    const t = await harness.open();
    const id = await createVerified(t, await t.sim.createWaba('shop'), named(0));
    const fault = await t.sim.injectFault({
      operation: 'register',
      scope: { phoneNumberId: id },
      error: FAULT_PRESETS['133005']!,
      times: 1,
    });
    expect(fault).toMatchObject({ id: 'fault-1', remaining: 1, error: { code: 133005, httpStatus: 400 } });
    await expect(t.sim.register(id, '123456')).rejects.toMatchObject({ code: 133005 });
    expect(await t.sim.listFaults()).toEqual([]);
    await t.sim.register(id, '123456');
    // The injected failure did not touch the lifecycle: no PIN guess was counted.
    expect(await t.sim.getPhoneNumber(id)).toMatchObject({ status: 'CONNECTED' });
  });

  it('fails every matching call when "always", only for the scoped number, until cleared', async () => {
    const t = await harness.open();
    const waba = await t.sim.createWaba('shop');
    const [a, b] = [await createVerified(t, waba, named(0)), await createVerified(t, waba, named(1))];
    await t.sim.injectFault({
      operation: '*',
      scope: { e164: '8613800138000' },
      error: FAULT_PRESETS['133004']!,
      times: 'always',
    });
    for (let i = 0; i < 3; i++) {
      const error = await t.sim.getPhoneNumber(a).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({ code: 133004, httpStatus: 503, transient: true });
    }
    await expect(t.sim.register(a, '123456')).rejects.toMatchObject({ code: 133004 });
    await t.sim.register(b, '123456');
    expect(await t.sim.listFaults()).toMatchObject([
      { remaining: 'always', scope: { e164: '8613800138000' } },
    ]);
    expect(await t.sim.clearFaults()).toBe(1);
    await t.sim.register(a, '123456');
  });

  it('scopes create and list faults by WABA, counts down `times`, and takes custom errors', async () => {
    const t = await harness.open();
    const [w1, w2] = [await t.sim.createWaba('one'), await t.sim.createWaba('two')];
    await t.sim.injectFault({
      operation: 'createPhoneNumber',
      scope: { wabaId: w1 },
      error: { code: 2, message: 'Service temporarily unavailable', transient: true },
      times: 2,
    });
    await expect(t.sim.createPhoneNumber(w1, named(0))).rejects.toMatchObject({ code: 2, httpStatus: 503 });
    expect(await t.sim.listFaults()).toMatchObject([{ remaining: 1 }]);
    await t.sim.createPhoneNumber(w2, named(0));
    await expect(t.sim.createPhoneNumber(w1, named(0))).rejects.toMatchObject({ code: 2 });
    await t.sim.createPhoneNumber(w1, named(0));

    const limit = await t.sim.injectFault({
      operation: 'listPhoneNumbers',
      error: FAULT_PRESETS['80008']!,
      times: 1,
    });
    await expect(t.sim.listPhoneNumbers(w2)).rejects.toMatchObject({ code: 80008, transient: true });
    expect(await t.sim.clearFaults(limit.id)).toBe(0);
  });

  it('keeps faults in the store, so an operator in another process can inject them', async () => {
    const server = await harness.open({}, 'shared');
    const operator = await harness.open({}, 'shared');
    const waba = await server.sim.createWaba('shop');
    await operator.sim.injectFault({ operation: 'getWaba', error: FAULT_PRESETS['190']!, times: 1 });
    await expect(server.sim.getWaba(waba)).rejects.toMatchObject({
      code: 190,
      subcode: 463,
      httpStatus: 401,
    });
  });

  it('refuses a fault that makes no sense, naming the field', async () => {
    const { sim } = await harness.open();
    const error = FAULT_PRESETS['133016']!;
    await expect(sim.injectFault({ operation: 'register', error, times: 0 })).rejects.toThrow(/times/);
    await expect(sim.injectFault({ operation: 'send' as 'register', error, times: 1 })).rejects.toThrow(
      /operation/,
    );
  });

  it('matches scopes field by field', () => {
    expect(scopeMatches({}, { phoneNumberId: '1' })).toBe(true);
    expect(scopeMatches({ phoneNumberId: '1' }, { phoneNumberId: '1', wabaId: 'w' })).toBe(true);
    expect(scopeMatches({ phoneNumberId: '1', wabaId: 'x' }, { phoneNumberId: '1', wabaId: 'w' })).toBe(
      false,
    );
    expect(scopeMatches({ e164: '86' }, { phoneNumberId: '1' })).toBe(false);
  });

  it('has presets for the documented phone-number codes', () => {
    for (const code of [
      '133005',
      '133006',
      '133008',
      '133009',
      '133010',
      '133015',
      '133016',
      '136024',
      '136025',
    ]) {
      expect(FAULT_PRESETS[code]).toMatchObject({ code: Number(code) });
    }
    expect(FAULT_PRESETS['100/2388001']).toMatchObject({ code: 100, subcode: 2388001 });
  });
});
