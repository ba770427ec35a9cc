/**
 * Every Meta error of the phone-number surface (whatsapp-upstream.md §1.10, §1.3), injected into the
 * simulator through the operator endpoint (POST /_admin/faults) and seen through the official SDK: the
 * catalogued CAMS code, an HTTP status that says whose move it is, and a message naming the next step.
 * The expected table is written out here, not derived from the mapping, and must cover every code the
 * mapping lists (docs/meta-errors.md).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { META_ERRORS } from '../../src/domain/upstream-errors.js';
import { startServer, type TestServer } from '../support/server.js';
import {
  add,
  admin,
  advance,
  client,
  e164,
  expectError,
  NAME_REVIEW_MS,
  newSpace,
  numbers,
  OPERATOR_TOKEN,
  query,
  queryOne,
  readCode,
  register,
  requestCode,
  verificationStatus,
  verifyAndRegister,
  type Client,
} from './helpers.js';

interface Expected {
  /** Meta code, or code/subcode. */
  meta: string;
  cams: string;
  status: number;
  /** What the message must say: the next step (and the cause where it matters). */
  says: RegExp[];
}

const CALLER_FIXES_VALUE = [/not valid/, /correct the value and call again/];
const RETRY_LATER = [/rate limit/, /wait and retry later/];
const TRANSIENT = [/temporarily unavailable/, /retry in a few minutes/];
const TOKEN = [/invalid or expired/, /operator of this service must configure a valid system-user token/];
const PERMISSION = [/lacks a permission/, /operator of this service must grant whatsapp_business_management/];

const EXPECTED: Expected[] = [
  {
    meta: '100/33',
    cams: 'Upstream.ObjectNotAccessible',
    status: 502,
    says: [
      /cannot see the WhatsApp Business Account/,
      /ask the operator .* grant the token.* access to the WABA/,
    ],
  },
  {
    meta: '100/2388001',
    cams: 'PhoneNumber.DisplayNameNotReady',
    status: 400,
    says: [/display name has not been processed/, /then register again/],
  },
  {
    meta: '100/2388004',
    cams: 'PhoneNumber.RequestCodeFailed',
    status: 400,
    says: [/could not send a verification code/, /wait a few minutes/, /Method=voice/],
  },
  {
    meta: '100/2388135',
    cams: 'PhoneNumber.DisplayNameRejected',
    status: 400,
    says: [/declined the display name/, /Choose a display name/],
  },
  {
    meta: '100/1349175',
    cams: 'PhoneNumber.LimitExceeded',
    status: 400,
    says: [/limit of registered phone numbers/, /deregister a number/],
  },
  {
    meta: '200/1349175',
    cams: 'PhoneNumber.LimitExceeded',
    status: 400,
    says: [/limit of registered phone numbers/, /raise its limit with Meta/],
  },
  { meta: '100', cams: 'InvalidParameter', status: 400, says: CALLER_FIXES_VALUE },
  { meta: '131009', cams: 'InvalidParameter', status: 400, says: CALLER_FIXES_VALUE },
  {
    meta: '200000',
    cams: 'PhoneNumber.AddRefused',
    status: 400,
    says: [/refused to add the phone number/, /ChatappSyncPhoneNumber/],
  },
  {
    meta: '133000',
    cams: 'PhoneNumber.DeregistrationIncomplete',
    status: 400,
    says: [/deregistration .* did not complete/, /call ChatappPhoneNumberDeregister again/],
  },
  {
    meta: '133005',
    cams: 'PhoneNumber.PinMismatch',
    status: 400,
    says: [/PIN .* was set outside this service/, /disable two-step verification .* in WhatsApp Manager/],
  },
  {
    meta: '133006',
    cams: 'PhoneNumber.NotVerified',
    status: 400,
    says: [/must be verified/, /call GetChatappVerifyCode, then ChatappVerifyAndRegister/],
  },
  {
    meta: '133008',
    cams: 'PhoneNumber.PinGuessLimit',
    status: 400,
    says: [/Too many two-step verification PIN attempts/, /wait for the time WhatsApp gives/],
  },
  {
    meta: '133009',
    cams: 'PhoneNumber.PinGuessLimit',
    status: 400,
    says: [/PIN attempts/, /do not retry sooner/],
  },
  {
    meta: '133010',
    cams: 'PhoneNumber.NotRegistered',
    status: 400,
    says: [/not registered/, /register it with ChatappPhoneNumberRegister/],
  },
  {
    meta: '131045',
    cams: 'PhoneNumber.NotRegistered',
    status: 400,
    says: [/not registered/, /register it with ChatappPhoneNumberRegister/],
  },
  {
    meta: '133015',
    cams: 'PhoneNumber.RecentlyDeleted',
    status: 400,
    says: [/deleted from WhatsApp recently/, /wait 5 minutes/],
  },
  {
    meta: '133016',
    cams: 'PhoneNumber.RegisterLimit',
    status: 400,
    says: [
      /10 such requests per number in a moving 72-hour window/,
      /stop retrying and wait 72 hours/,
      /prolongs it/,
    ],
  },
  {
    meta: '136024',
    cams: 'PhoneNumber.RequestCodeFailed',
    status: 400,
    says: [
      /could not send a verification code/,
      /wait a few minutes before calling GetChatappVerifyCode again/,
    ],
  },
  {
    meta: '136025',
    cams: 'PhoneNumber.VerifyCodeFailed',
    status: 400,
    says: [/wrong or has expired/, /request a new code with GetChatappVerifyCode/],
  },
  {
    meta: '131031',
    cams: 'Waba.Locked',
    status: 403,
    says: [
      /locked the WhatsApp Business Account/,
      /appeal in Meta Business Manager/,
      /retrying does not help/,
    ],
  },
  {
    meta: '368',
    cams: 'Waba.PolicyBlocked',
    status: 403,
    says: [
      /blocked .* for violating Meta's policies/,
      /appeal in Meta Business Manager/,
      /retrying does not help/,
    ],
  },
  { meta: '0', cams: 'Upstream.TokenInvalid', status: 502, says: TOKEN },
  { meta: '190', cams: 'Upstream.TokenInvalid', status: 502, says: TOKEN },
  { meta: '102', cams: 'Upstream.TokenInvalid', status: 502, says: TOKEN },
  { meta: '104', cams: 'Upstream.TokenInvalid', status: 502, says: TOKEN },
  { meta: '3', cams: 'Upstream.PermissionDenied', status: 502, says: PERMISSION },
  { meta: '10', cams: 'Upstream.PermissionDenied', status: 502, says: PERMISSION },
  { meta: '200', cams: 'Upstream.PermissionDenied', status: 502, says: PERMISSION },
  { meta: '299', cams: 'Upstream.PermissionDenied', status: 502, says: PERMISSION },
  { meta: '4', cams: 'Upstream.RateLimited', status: 503, says: RETRY_LATER },
  { meta: '17', cams: 'Upstream.RateLimited', status: 503, says: RETRY_LATER },
  { meta: '80007', cams: 'Upstream.RateLimited', status: 503, says: RETRY_LATER },
  { meta: '80008', cams: 'Upstream.RateLimited', status: 503, says: RETRY_LATER },
  { meta: '1', cams: 'Upstream.Unavailable', status: 503, says: TRANSIENT },
  { meta: '2', cams: 'Upstream.Unavailable', status: 503, says: TRANSIENT },
  { meta: '131000', cams: 'Upstream.Unavailable', status: 503, says: TRANSIENT },
  { meta: '133004', cams: 'Upstream.Unavailable', status: 503, says: TRANSIENT },
];

let s: TestServer;
let c: Client;
const next = numbers(400);

beforeAll(async () => {
  // The reconciler is off: its background calls would consume the injected faults.
  s = await startServer({ CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN, CAMS_SYNC_INTERVAL_MS: '0' });
  c = client(s, s.root);
});
afterEach(async () => {
  expect((await admin(s, 'DELETE', '/_admin/faults')).status).toBe(200);
});
afterAll(() => s.close());

/** POST /_admin/faults with an explicit Meta code (and subcode), once. */
async function inject(operation: string, meta: string, scope: { phoneNumber?: string }): Promise<void> {
  const [code, subcode] = meta.split('/').map(Number);
  const res = await admin(s, 'POST', '/_admin/faults', {
    operation,
    ...scope,
    code,
    ...(subcode === undefined ? {} : { subcode }),
    message: `Meta says ${meta}`,
  });
  expect(res.status).toBe(201);
}

it('the expected table covers every code of the mapping, and nothing else', () => {
  const mapped = META_ERRORS.flatMap((r) =>
    r.codes
      .flatMap((c) => (typeof c === 'number' ? [c] : [c[0], c[1]]))
      .map((code) => (r.subcode === undefined ? String(code) : `${code}/${r.subcode}`)),
  );
  expect([...EXPECTED.map((e) => e.meta)].sort()).toEqual([...new Set(mapped)].sort());
  // Whose move it is: never 500, and 5xx only for retry-later (503) and the operator's token (502).
  for (const e of EXPECTED) {
    if (e.status >= 500) expect(e.cams).toMatch(/^Upstream\./);
    expect(e.status).not.toBe(500);
  }
});

describe('each Meta error through GetPhoneNumberVerificationStatus', () => {
  let space: string;
  let pn: string;
  beforeAll(async () => {
    space = await newSpace(s, s.root.accountId, 'meta errors');
    const national = next();
    await add(c, space, national);
    pn = e164(national);
  });

  it.each(EXPECTED)('Meta $meta -> $cams $status', async ({ meta, cams, status, says }) => {
    await inject('getPhoneNumber', meta, { phoneNumber: pn });
    await expectError(
      verificationStatus(c, space, pn),
      cams,
      status,
      `(WhatsApp error ${meta}: Meta says ${meta}.)`,
      ...says,
    );
  });

  it('a code the mapping does not list is Upstream.Error 502, which says to tell the operator', async () => {
    await inject('getPhoneNumber', '999999', { phoneNumber: pn });
    await expectError(
      verificationStatus(c, space, pn),
      'Upstream.Error',
      502,
      /does not know/,
      /give the operator of this service the WhatsApp error below/,
      'WhatsApp error 999999',
    );
  });
});

describe('where the codes arise', () => {
  it('200000 on Add is PhoneNumber.AddRefused, not PhoneNumber.Exists: the space does not list the number, and the same Add then succeeds', async () => {
    const space = await newSpace(s, s.root.accountId, 'add refused');
    const national = next();
    await inject('createPhoneNumber', '200000', { phoneNumber: e164(national) });
    const err = await expectError(
      add(c, space, national),
      'PhoneNumber.AddRefused',
      400,
      'WhatsApp error 200000',
    );
    expect(String(err.data?.Message)).not.toMatch(/already exists/);
    expect(await query(c, space)).toEqual([]);
    await add(c, space, national);
    expect((await queryOne(c, space, e164(national)))?.status).toBe('PENDING');
  });

  it("the simulator's own 200000 (the WABA has the number, added outside this service) says how to take it over", async () => {
    const space = await newSpace(s, s.root.accountId, 'out of band');
    const national = next();
    const waba = (await s.app.spaceRepo.get(s.root.accountId, space))!.wabaId;
    await s.app.simulator.createPhoneNumber(waba, {
      cc: '86',
      phoneNumber: national,
      verifiedName: 'Alibaba Cloud',
    });
    await expectError(add(c, space, national), 'PhoneNumber.AddRefused', 400, 'ChatappSyncPhoneNumber');
    expect(await query(c, space)).toEqual([]);
  });

  it('131031 on Add is Waba.Locked 403 and adds nothing', async () => {
    const space = await newSpace(s, s.root.accountId, 'locked');
    const national = next();
    await inject('createPhoneNumber', '131031', { phoneNumber: e164(national) });
    await expectError(
      add(c, space, national),
      'Waba.Locked',
      403,
      'Business Manager',
      'WhatsApp error 131031',
    );
    expect(await query(c, space)).toEqual([]);
  });

  it('133016 on register says to wait 72 hours and stop retrying; the number stays PENDING', async () => {
    const space = await newSpace(s, s.root.accountId, 'register limit');
    const national = next();
    const pn = e164(national);
    await add(c, space, national);
    await requestCode(c, space, pn);
    const code = await readCode(s, pn);
    await advance(s, NAME_REVIEW_MS);
    await inject('register', '133016', { phoneNumber: pn });
    await expectError(
      verifyAndRegister(c, space, pn, code),
      'PhoneNumber.RegisterLimit',
      400,
      'wait 72 hours',
      'stop retrying',
    );
    expect((await queryOne(c, space, pn))?.status).toBe('PENDING');
    await register(c, space, pn);
    expect((await queryOne(c, space, pn))?.status).toBe('CONNECTED');
  });
});
