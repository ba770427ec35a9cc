import { afterEach, describe, expect, it } from 'vitest';
import { simulatorHarness, TEST_START, upstreamFailure } from './testing.js';

const harness = simulatorHarness();
afterEach(() => harness.cleanup());

const number = { cc: '86', phoneNumber: '13800138000', verifiedName: 'Alibaba Cloud' };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const failure = upstreamFailure;

describe('onboarding: create -> request_code -> verify_code -> register (whatsapp-upstream.md §1.2)', () => {
  it('walks the whole lifecycle, then deregisters and re-registers with the same PIN', async () => {
    const t = await harness.open();
    const { sim, clock } = t;
    const waba = await sim.createWaba('shop');
    const created = await sim.createPhoneNumber(waba, number);
    expect(created).toMatchObject({
      status: 'PENDING',
      codeVerificationStatus: 'NOT_VERIFIED',
      nameStatus: 'PENDING_REVIEW',
      newNameStatus: 'NONE',
      platformType: 'NOT_APPLICABLE',
      qualityRating: 'UNKNOWN',
      // No messaging tier before the number is on the platform (whatsapp-upstream.md §1.4).
      messagingLimitTier: '',
      isPinEnabled: false,
    });

    await sim.requestCode(created.id, { method: 'VOICE', language: 'zh_CN' });
    const outbox = await sim.listOutbox({ e164: '+8613800138000' });
    expect(outbox).toEqual([
      {
        id: 'otp-1',
        phoneNumberId: created.id,
        e164: '8613800138000',
        method: 'VOICE',
        language: 'zh_CN',
        code: expect.stringMatching(/^\d{6}$/),
        sentAt: new Date(TEST_START).toISOString(),
        expiresAt: new Date(TEST_START + 10 * MINUTE).toISOString(),
      },
    ]);
    await sim.verifyCode(created.id, outbox[0]!.code);
    expect(await sim.getPhoneNumber(created.id)).toMatchObject({ codeVerificationStatus: 'VERIFIED' });

    // Too early: the display name is still in review (whatsapp-upstream.md §1.2, 2388001).
    const early = await failure(sim.register(created.id, '123456'));
    expect(early).toMatchObject({ code: 100, subcode: 2388001, userTitle: 'Cannot Create Certificate' });
    expect(early.userMessage).toContain('in review until 2026-01-01T00:00:05.000Z');

    clock.advance(5_000);
    expect(await sim.getPhoneNumber(created.id)).toMatchObject({ nameStatus: 'APPROVED' });
    await sim.register(created.id, '123456');
    const registered = await sim.getPhoneNumber(created.id);
    expect(registered).toMatchObject({
      status: 'CONNECTED',
      platformType: 'CLOUD_API',
      isPinEnabled: true,
      qualityRating: 'GREEN',
      messagingLimitTier: 'TIER_250',
    });
    expect(await sim.listPhoneNumbers(waba)).toEqual([registered]);

    await sim.deregister(created.id);
    expect(await sim.getPhoneNumber(created.id)).toMatchObject({
      status: 'DISCONNECTED',
      platformType: 'NOT_APPLICABLE',
      isPinEnabled: true,
    });
    expect(await failure(sim.register(created.id, '654321'))).toMatchObject({
      code: 133005,
      httpStatus: 400,
    });
    await sim.register(created.id, '123456');
    expect(await sim.getPhoneNumber(created.id)).toMatchObject({ status: 'CONNECTED' });
  });

  it('answers 100/33 for an unknown phone-number ID', async () => {
    const { sim } = await harness.open();
    const error = await failure(sim.getPhoneNumber('1234567890123456'));
    expect(error).toMatchObject({ code: 100, subcode: 33, httpStatus: 400 });
    expect(error.message).toContain("Unsupported get request. Object with ID '1234567890123456'");
    expect(await failure(sim.register('1234567890123456', '123456'))).toMatchObject({
      code: 100,
      subcode: 33,
    });
  });
});

describe('verification codes (whatsapp-upstream.md §1.5)', () => {
  it('refuses a wrong code and an expired code with 136025, saying which', async () => {
    const { sim, clock } = await harness.open();
    const waba = await sim.createWaba('shop');
    const { id } = await sim.createPhoneNumber(waba, number);
    expect((await failure(sim.verifyCode(id, '000000'))).userMessage).toContain('call request_code first');

    await sim.requestCode(id, { method: 'SMS', language: 'en_US' });
    const [sent] = await sim.listOutbox({ phoneNumberId: id });
    const wrong = sent!.code === '111111' ? '222222' : '111111';
    const error = await failure(sim.verifyCode(id, wrong));
    expect(error).toMatchObject({ code: 136025, message: 'Verify code error', httpStatus: 400 });
    expect(error.userMessage).toContain('wrong');

    clock.advance(10 * MINUTE);
    const expired = await failure(sim.verifyCode(id, sent!.code));
    expect(expired).toMatchObject({ code: 136025 });
    expect(expired.userMessage).toContain('expired at 2026-01-01T00:10:00.000Z');
    expect(await sim.getPhoneNumber(id)).toMatchObject({ codeVerificationStatus: 'NOT_VERIFIED' });
  });

  it('verifies a code once: a second use is refused with 136025 saying it was used', async () => {
    const { sim, clock } = await harness.open();
    const { id } = await sim.createPhoneNumber(await sim.createWaba('shop'), number);
    await sim.requestCode(id, { method: 'SMS', language: 'en_US' });
    const code = (await sim.listOutbox({ phoneNumberId: id }))[0]!.code;
    clock.advance(MINUTE);
    await sim.verifyCode(id, code);
    expect((await sim.listOutbox({ phoneNumberId: id }))[0]).toMatchObject({
      usedAt: new Date(TEST_START + MINUTE).toISOString(),
    });
    const again = await failure(sim.verifyCode(id, code));
    expect(again).toMatchObject({ code: 136025, message: 'Verify code error', httpStatus: 400 });
    expect(again.userMessage).toContain('already used at 2026-01-01T00:01:00.000Z');
    // The number stays verified; a new code verifies again.
    expect(await sim.getPhoneNumber(id)).toMatchObject({ codeVerificationStatus: 'VERIFIED' });
    await sim.requestCode(id, { method: 'SMS', language: 'en_US' });
    await sim.verifyCode(id, (await sim.listOutbox({ phoneNumberId: id })).at(-1)!.code);
  });

  it('accepts only the latest code, and checks the parameters (100)', async () => {
    const { sim } = await harness.open();
    const { id } = await sim.createPhoneNumber(await sim.createWaba('shop'), number);
    await sim.requestCode(id, { method: 'SMS', language: 'en_US' });
    await sim.requestCode(id, { method: 'SMS', language: 'en_US' });
    const [first, second] = await sim.listOutbox({ phoneNumberId: id });
    expect(first!.code).not.toBe(second!.code);
    expect(await failure(sim.verifyCode(id, first!.code))).toMatchObject({ code: 136025 });
    await sim.verifyCode(id, second!.code);

    expect(await failure(sim.verifyCode(id, '12345'))).toMatchObject({ code: 100 });
    const method = await failure(sim.requestCode(id, { method: 'FAX' as 'SMS', language: 'en_US' }));
    expect(method.message).toContain('code_method');
    const language = await failure(sim.requestCode(id, { method: 'SMS', language: 'English' }));
    expect(language.message).toContain('language');
  });

  it('lets a verification lapse to EXPIRED after 14 days; register then needs re-verification (133006)', async () => {
    const { sim, clock } = await harness.open();
    const { id } = await sim.createPhoneNumber(await sim.createWaba('shop'), number);
    await sim.requestCode(id, { method: 'SMS', language: 'en_US' });
    await sim.verifyCode(id, (await sim.listOutbox())[0]!.code);
    clock.advance(14 * DAY - 1);
    expect(await sim.getPhoneNumber(id)).toMatchObject({ codeVerificationStatus: 'VERIFIED' });
    clock.advance(1);
    expect(await sim.getPhoneNumber(id)).toMatchObject({ codeVerificationStatus: 'EXPIRED' });
    const error = await failure(sim.register(id, '123456'));
    expect(error).toMatchObject({ code: 133006, message: 'Phone number re-verification needed' });
    expect(error.userMessage).toContain('expired at 2026-01-15T00:00:00.000Z');

    await sim.requestCode(id, { method: 'SMS', language: 'en_US' });
    await sim.verifyCode(id, (await sim.listOutbox()).at(-1)!.code);
    await sim.register(id, '123456');
  });

  it('refuses register before any verification with 133006', async () => {
    const { sim, clock } = await harness.open();
    const { id } = await sim.createPhoneNumber(await sim.createWaba('shop'), number);
    clock.advance(5_000);
    const error = await failure(sim.register(id, '123456'));
    expect(error).toMatchObject({ code: 133006, httpStatus: 400 });
    expect(error.userMessage).toContain('has not been verified');
  });
});
