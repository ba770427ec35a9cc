/**
 * One contract for every WhatsAppProvider (architecture.md, "Conventions" 4): the in-process simulator and
 * the Graph client over real HTTP to the HTTP simulator must be indistinguishable to the service.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors/index.js';
import { FAULT_PRESETS } from '../../src/upstream/simulator/faults.js';
import { IMPLEMENTATIONS, outcome, type Harness } from './harness.js';

const A = { cc: '86', phoneNumber: '13800138000', verifiedName: 'Alibaba Cloud' };
const B = { cc: '1', phoneNumber: '6315551000', verifiedName: 'Acme Retail' };
const UNKNOWN = '1999999999999999';

describe.each(IMPLEMENTATIONS)('WhatsAppProvider contract: %s', (_name, open) => {
  let h: Harness;
  afterEach(() => h?.close());

  async function verified(wabaId: string, number = A): Promise<string> {
    const { id } = await h.provider.createPhoneNumber(wabaId, number);
    await h.provider.requestCode(id, { method: 'SMS', language: 'en_US' });
    const [message] = await h.sim.listOutbox({ phoneNumberId: id });
    await h.provider.verifyCode(id, message!.code);
    h.clock.advance(h.sim.options.nameReviewDelayMs);
    return id;
  }

  it('creates a number as Meta reports a new one, and lists and reads it back the same', async () => {
    h = await open();
    const waba = await h.sim.createWaba('Acme');
    const created = await h.provider.createPhoneNumber(waba, A);
    expect(created).toEqual({
      id: expect.stringMatching(/^\d{16}$/),
      wabaId: waba,
      cc: '86',
      phoneNumber: '13800138000',
      e164: '8613800138000',
      displayPhoneNumber: '+86 138 0013 8000',
      verifiedName: 'Alibaba Cloud',
      status: 'PENDING',
      codeVerificationStatus: 'NOT_VERIFIED',
      nameStatus: 'PENDING_REVIEW',
      newNameStatus: 'NONE',
      qualityRating: 'UNKNOWN',
      messagingLimitTier: '',
      platformType: 'NOT_APPLICABLE',
      isPinEnabled: false,
    });
    const second = await h.provider.createPhoneNumber(waba, B);
    expect(second).toMatchObject({ cc: '1', phoneNumber: '6315551000', e164: '16315551000' });
    expect(await h.provider.listPhoneNumbers(waba)).toEqual([created, second]);
    expect(await h.provider.getPhoneNumber(created.id)).toEqual(created);
    expect(await h.provider.listPhoneNumbers(await h.sim.createWaba('Empty'))).toEqual([]);
  });

  it("answers Meta's 100/33 for unknown objects and 200000 for a number the WABA has", async () => {
    h = await open();
    const waba = await h.sim.createWaba('Acme');
    await h.provider.createPhoneNumber(waba, A);
    const duplicate = await h.provider.createPhoneNumber(waba, A).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(UpstreamError);
    expect(duplicate).toMatchObject({ code: 200000, httpStatus: 400 });
    expect(await h.provider.listPhoneNumbers(waba)).toHaveLength(1);
    const p = h.provider;
    for (const call of [
      () => p.getPhoneNumber(UNKNOWN),
      () => p.requestCode(UNKNOWN, { method: 'SMS', language: 'en_US' }),
      () => p.register(UNKNOWN, '123456'),
      () => p.getBusinessProfile(UNKNOWN),
      () => p.getWaba(UNKNOWN),
      () => p.listPhoneNumbers(UNKNOWN),
      () => p.createPhoneNumber(UNKNOWN, B),
    ]) {
      const error = await (call() as Promise<unknown>).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({ code: 100, subcode: 33, httpStatus: 400 });
      expect((error as Error).message).toContain(UNKNOWN);
    }
  });

  it('verifies with the code from the outbox; a wrong code is 136025, a bad method 100', async () => {
    h = await open();
    const { id } = await h.provider.createPhoneNumber(await h.sim.createWaba('Acme'), A);
    await expect(h.provider.verifyCode(id, '000000')).rejects.toMatchObject({ code: 136025 });
    await expect(
      h.provider.requestCode(id, { method: 'FAX' as 'SMS', language: 'en_US' }),
    ).rejects.toMatchObject({ code: 100, message: expect.stringContaining('code_method') });
    await h.provider.requestCode(id, { method: 'VOICE', language: 'pt_BR' });
    const [message] = await h.sim.listOutbox({ phoneNumberId: id });
    expect(message).toMatchObject({ method: 'VOICE', language: 'pt_BR' });
    const wrong = message!.code === '111111' ? '222222' : '111111';
    await expect(h.provider.verifyCode(id, wrong)).rejects.toMatchObject({ code: 136025, httpStatus: 400 });
    await h.provider.verifyCode(id, message!.code);
    expect((await h.provider.getPhoneNumber(id)).codeVerificationStatus).toBe('VERIFIED');
  });

  it('registers with a PIN, refuses another PIN (133005), deregisters, registers again', async () => {
    h = await open();
    const waba = await h.sim.createWaba('Acme');
    const unverified = (await h.provider.createPhoneNumber(waba, B)).id;
    await expect(h.provider.register(unverified, '123456')).rejects.toMatchObject({ code: 133006 });
    const id = await verified(waba);
    await expect(h.provider.register(id, '12')).rejects.toMatchObject({ code: 100 });
    await h.provider.register(id, '123456');
    expect(await h.provider.getPhoneNumber(id)).toMatchObject({
      status: 'CONNECTED',
      platformType: 'CLOUD_API',
      isPinEnabled: true,
      nameStatus: 'APPROVED',
      qualityRating: 'GREEN',
    });
    await expect(h.provider.register(id, '654321')).rejects.toMatchObject({ code: 133005, httpStatus: 400 });
    await h.provider.deregister(id);
    expect(await h.provider.getPhoneNumber(id)).toMatchObject({
      status: 'DISCONNECTED',
      platformType: 'NOT_APPLICABLE',
    });
    await expect(h.provider.deregister(id)).rejects.toMatchObject({ code: 133010 });
    await expect(h.provider.register(id, '654321')).rejects.toMatchObject({ code: 133005 });
    await h.provider.register(id, '123456');
    expect((await h.provider.getPhoneNumber(id)).status).toBe('CONNECTED');
  });

  it('keeps a business profile: empty at first, partial updates, code 100 naming the field', async () => {
    h = await open();
    const id = await verified(await h.sim.createWaba('Acme'));
    const empty = {
      about: '',
      address: '',
      description: '',
      email: '',
      profilePictureUrl: '',
      vertical: '',
      websites: [],
    };
    expect(await h.provider.getBusinessProfile(id)).toEqual(empty);
    await h.provider.updateBusinessProfile(id, {
      about: 'Cloud services',
      websites: ['https://a.example', 'https://b.example'],
    });
    await h.provider.updateBusinessProfile(id, { vertical: 'PROF_SERVICES', email: 'support@example.com' });
    expect(await h.provider.getBusinessProfile(id)).toEqual({
      ...empty,
      about: 'Cloud services',
      email: 'support@example.com',
      vertical: 'PROF_SERVICES',
      websites: ['https://a.example', 'https://b.example'],
    });
    await h.provider.updateBusinessProfile(id, { about: '' });
    expect((await h.provider.getBusinessProfile(id)).about).toBe('');
    const error = await h.provider.updateBusinessProfile(id, { vertical: 'SPACE' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 100, httpStatus: 400, message: expect.stringContaining('vertical') });
  });

  it('reads a WABA', async () => {
    h = await open();
    const waba = await h.sim.createWaba('Acme Retail');
    expect(await h.provider.getWaba(waba)).toEqual({
      id: waba,
      name: 'Acme Retail',
      currency: 'USD',
      accountReviewStatus: 'APPROVED',
      messageTemplateNamespace: expect.stringMatching(/^[0-9a-f_]{36}$/),
      businessId: expect.stringMatching(/^\d{16}$/),
      businessName: 'Acme Retail',
    });
  });

  it("passes Meta's errors through with code, subcode, status, title and user message", async () => {
    h = await open();
    const waba = await h.sim.createWaba('Acme');
    const id = await verified(waba);
    await h.sim.injectFault({ operation: 'register', error: FAULT_PRESETS['100/2388001']!, times: 1 });
    await h.sim.injectFault({ operation: 'getPhoneNumber', error: FAULT_PRESETS['131031']!, times: 1 });
    await h.sim.injectFault({ operation: 'requestCode', error: FAULT_PRESETS['190']!, times: 1 });
    expect(await outcome(h.provider.register(id, '123456'))).toEqual({
      error: {
        name: 'UpstreamError',
        code: 100,
        subcode: 2388001,
        httpStatus: 400,
        message: 'Cannot Create Certificate',
        userTitle: 'Cannot Create Certificate',
        userMessage: expect.stringContaining('display name'),
        transient: false,
      },
    });
    await expect(h.provider.getPhoneNumber(id)).rejects.toMatchObject({ code: 131031, httpStatus: 403 });
    await expect(h.provider.requestCode(id, { method: 'SMS', language: 'en_US' })).rejects.toMatchObject({
      code: 190,
      subcode: 463,
      httpStatus: 401,
    });
  });
});

describe('WhatsAppProvider contract: one scenario, the same transcript on both', () => {
  it('gives equal results and equal errors, call by call', async () => {
    const transcripts: unknown[][] = [];
    for (const [, open] of IMPLEMENTATIONS) {
      const h = await open();
      const t: unknown[] = [];
      try {
        const waba = await h.sim.createWaba('Acme');
        const created = await h.provider.createPhoneNumber(waba, A);
        const id = created.id;
        t.push(created, await outcome(h.provider.createPhoneNumber(waba, A)));
        t.push(await outcome(h.provider.register(id, '123456')));
        await h.provider.requestCode(id, { method: 'SMS', language: 'en_US' });
        t.push(await outcome(h.provider.verifyCode(id, '12345')));
        const [message] = await h.sim.listOutbox({ phoneNumberId: id });
        t.push(await outcome(h.provider.verifyCode(id, message!.code)));
        t.push(await outcome(h.provider.register(id, '123456')));
        h.clock.advance(h.sim.options.nameReviewDelayMs);
        t.push(await outcome(h.provider.register(id, '123456')));
        t.push(await outcome(h.provider.register(id, '000000')));
        t.push(await outcome(h.provider.deregister(id)));
        t.push(await outcome(h.provider.deregister(id)));
        t.push(await outcome(h.provider.updateBusinessProfile(id, { email: 'not-an-email' })));
        t.push(await h.provider.listPhoneNumbers(waba), await h.provider.getWaba(waba));
      } finally {
        await h.close();
      }
      transcripts.push(t);
    }
    expect(transcripts[1]).toEqual(transcripts[0]);
  });
});
