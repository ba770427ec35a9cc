import { afterEach, describe, expect, it } from 'vitest';
import { createVerified, simulatorHarness, upstreamFailure } from './testing.js';

const harness = simulatorHarness();
afterEach(() => harness.cleanup());

const HOUR = 3_600_000;
const named = (n: number) => ({ cc: '86', phoneNumber: `1380013800${n}`, verifiedName: 'Alibaba Cloud' });

const failure = upstreamFailure;

describe('register / deregister (whatsapp-upstream.md §1.6)', () => {
  it('answers 133005 after the PIN was changed upstream, and accepts the new PIN', async () => {
    const t = await harness.open();
    const id = await createVerified(t, await t.sim.createWaba('shop'), named(0));
    await t.sim.register(id, '111111');
    await t.sim.setUpstreamPin(id, '222222');
    const error = await failure(t.sim.register(id, '111111'));
    expect(error).toMatchObject({ code: 133005, message: 'Two step verification PIN Mismatch' });
    expect(error.userMessage).toContain('4 more wrong PINs');
    await t.sim.register(id, '222222');
    await expect(t.sim.setUpstreamPin(id, '12')).rejects.toThrow(RangeError);
  });

  it('locks the PIN after 5 wrong guesses in a row (133008) until the lockout passes', async () => {
    const t = await harness.open();
    const id = await createVerified(t, await t.sim.createWaba('shop'), named(0));
    await t.sim.register(id, '111111');
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await failure(t.sim.register(id, '999999'))).code);
    expect(codes).toEqual([133005, 133005, 133005, 133005, 133008]);
    expect(await failure(t.sim.register(id, '111111'))).toMatchObject({ code: 133008 });
    t.clock.advance(HOUR);
    await t.sim.register(id, '111111');
  });

  it('answers 133009 to PIN guesses faster than pinMinIntervalMs, when configured', async () => {
    const t = await harness.open({ pinMinIntervalMs: 10_000 });
    const id = await createVerified(t, await t.sim.createWaba('shop'), named(0));
    await t.sim.register(id, '111111');
    expect(await failure(t.sim.register(id, '999999'))).toMatchObject({ code: 133005 });
    expect(await failure(t.sim.register(id, '999998'))).toMatchObject({ code: 133009 });
    t.clock.advance(10_000);
    expect(await failure(t.sim.register(id, '999998'))).toMatchObject({ code: 133005 });
  });

  it('refuses the 11th register in 72 hours with 133016 and blocks for 72 hours from then', async () => {
    const t = await harness.open();
    const id = await createVerified(t, await t.sim.createWaba('shop'), named(0));
    for (let i = 0; i < 10; i++) {
      await t.sim.register(id, '111111');
      t.clock.advance(HOUR);
    }
    const error = await failure(t.sim.register(id, '111111'));
    expect(error).toMatchObject({ code: 133016, httpStatus: 400 });
    expect(error.userMessage).toContain('10 register requests within 72 hours');
    expect(error.userMessage).toContain('register is possible again after 2026-01-04T10:00:05.000Z');
    // The first calls left the window long ago, but the block runs 72 h from the 11th request.
    t.clock.advance(72 * HOUR - 1);
    expect(await failure(t.sim.register(id, '111111'))).toMatchObject({ code: 133016 });
    t.clock.advance(1);
    // Recovery needs a current verification too: the 14-day verification is still valid here.
    await t.sim.register(id, '111111');
  });

  it('gives deregister requests a budget of their own (whatsapp-upstream.md §1.6, §3.4)', async () => {
    const t = await harness.open();
    const id = await createVerified(t, await t.sim.createWaba('shop'), named(0));
    for (let i = 0; i < 10; i++) {
      await t.sim.register(id, '111111');
      await t.sim.deregister(id);
    }
    const register = await failure(t.sim.register(id, '111111'));
    expect(register).toMatchObject({ code: 133016 });
    expect(register.userMessage).toContain('register is possible again after');
    const deregister = await failure(t.sim.deregister(id));
    expect(deregister).toMatchObject({ code: 133016 });
    expect(deregister.userMessage).toContain('10 deregister requests within 72 hours');
  });

  it('takes the budget from the options', async () => {
    const t = await harness.open({ registerLimit: 2 });
    const id = await createVerified(t, await t.sim.createWaba('shop'), named(0));
    await t.sim.register(id, '111111');
    await t.sim.register(id, '111111');
    expect((await failure(t.sim.register(id, '111111'))).userMessage).toContain('2 register requests');
    await t.sim.deregister(id);
  });

  it('does not spend budget on requests refused before the registration was attempted', async () => {
    const t = await harness.open({ registerLimit: 2 });
    const waba = await t.sim.createWaba('shop');
    const { id } = await t.sim.createPhoneNumber(waba, named(0));
    for (let i = 0; i < 3; i++) {
      expect(await failure(t.sim.deregister(id))).toMatchObject({ code: 133010 });
      // Not verified yet.
      expect(await failure(t.sim.register(id, '111111'))).toMatchObject({ code: 133006 });
    }
    await t.sim.requestCode(id, { method: 'SMS', language: 'en_US' });
    await t.sim.verifyCode(id, (await t.sim.listOutbox())[0]!.code);
    // The display name is still in review (100/2388001).
    expect(await failure(t.sim.register(id, '111111'))).toMatchObject({ code: 100, subcode: 2388001 });
    t.clock.advance(10_000);
    await t.sim.register(id, '111111');
    await t.sim.deregister(id);
    await t.sim.register(id, '111111');
    await t.sim.deregister(id);
  });

  it('answers 133010 to deregistering a number that is not registered', async () => {
    const t = await harness.open();
    const { id } = await t.sim.createPhoneNumber(await t.sim.createWaba('shop'), named(0));
    const error = await failure(t.sim.deregister(id));
    expect(error).toMatchObject({ code: 133010, httpStatus: 400 });
    expect(error.userMessage).toContain(`${id} is not registered`);
  });

  // Meta starts a portfolio at 2 registered numbers (whatsapp-upstream.md §1.8).
  it('caps registered numbers per WABA (default 2) with 200/1349175, freed by deregister', async () => {
    const t = await harness.open();
    const waba = await t.sim.createWaba('shop');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await createVerified(t, waba, named(i)));
    await t.sim.register(ids[0]!, '111111');
    await t.sim.register(ids[1]!, '111111');
    const error = await failure(t.sim.register(ids[2]!, '111111'));
    expect(error).toMatchObject({ code: 200, subcode: 1349175, httpStatus: 403 });
    expect(error.userMessage).toContain('limit is 2');
    expect(await t.sim.getPhoneNumber(ids[2]!)).toMatchObject({ status: 'PENDING', isPinEnabled: false });
    await t.sim.register(ids[0]!, '111111');
    await t.sim.deregister(ids[1]!);
    await t.sim.register(ids[2]!, '111111');
  });

  it('honours a larger cap from the options', async () => {
    const t = await harness.open({ maxRegisteredPerWaba: 3 });
    const waba = await t.sim.createWaba('shop');
    for (let i = 0; i < 3; i++) await t.sim.register(await createVerified(t, waba, named(i)), '111111');
    expect((await t.sim.listPhoneNumbers(waba)).map((n) => n.status)).toEqual([
      'CONNECTED',
      'CONNECTED',
      'CONNECTED',
    ]);
  });

  it('refuses a PIN that is not 6 digits with 100, without counting it', async () => {
    const t = await harness.open();
    const id = await createVerified(t, await t.sim.createWaba('shop'), named(0));
    expect((await failure(t.sim.register(id, '12345'))).message).toContain('Param pin');
    await t.sim.register(id, '123456');
  });
});

describe('display-name review (whatsapp-upstream.md §1.7)', () => {
  it('declines a generic name after the review delay; registration still works (Meta limits it instead)', async () => {
    const t = await harness.open();
    const id = await createVerified(t, await t.sim.createWaba('shop'), {
      ...named(0),
      verifiedName: 'Fashion',
    });
    expect(await t.sim.getPhoneNumber(id)).toMatchObject({
      nameStatus: 'DECLINED',
      nameRejectionReason: 'NAME_NOT_CONSISTENT',
    });
    await t.sim.register(id, '123456');
  });

  it('can skip the 2388001 gate, and lets the operator decide a review', async () => {
    const t = await harness.open({ allowRegisterDuringNameReview: true, nameReviewDelayMs: 60_000 });
    const { id } = await t.sim.createPhoneNumber(await t.sim.createWaba('shop'), named(0));
    await t.sim.requestCode(id, { method: 'SMS', language: 'en_US' });
    await t.sim.verifyCode(id, (await t.sim.listOutbox())[0]!.code);
    await t.sim.register(id, '123456');
    expect(await t.sim.getPhoneNumber(id)).toMatchObject({
      status: 'CONNECTED',
      nameStatus: 'PENDING_REVIEW',
    });
    await t.sim.setNameReview(id, {
      decision: 'DECLINED',
      reason: 'NAME_INDIVIDUAL_ISSUE',
      explanation: 'operator',
    });
    expect(await t.sim.getPhoneNumber(id)).toMatchObject({
      nameStatus: 'DECLINED',
      nameRejectionReason: 'NAME_INDIVIDUAL_ISSUE',
    });
    await t.sim.setNameReview(id, undefined);
    t.clock.advance(60_000);
    expect(await t.sim.getPhoneNumber(id)).toMatchObject({ nameStatus: 'APPROVED' });
  });
});
