/**
 * RAM authorization of EVERY implemented action through the official SDK, with RAM users holding the
 * CAMS system policies and custom policies (cams-api.md §4.2, §4.5). The expected decisions
 * are derived from each action's declared ramAction by a tiny matcher written here, not by the server's
 * evaluator: AliyunCamsReadOnlyAccess (`cams:Get*`, `cams:List*`) covers GetChatappVerifyCode but no
 * Query* action and not IsvGetAppId, as on Alibaba Cloud.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/actions/index.js';
import {
  camsClient,
  CamsModels,
  startServer,
  type CamsClient,
  type Credentials,
  type SdkError,
  type TestServer,
} from '../support/server.js';
import { ramUser, UUID } from '../wire/helpers.js';

// ---- a tiny, independent policy matcher ---------------------------------------------------------

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string;
}
type Decision = 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';

/** `*` matches any characters; action names match case-insensitively (cams-api.md §4.1: "in most cases"). */
function actionMatches(pattern: string, action: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(action);
}

/** cams-api.md §4.2: a matching Deny wins, else a matching Allow, else deny by default. */
function decide(statements: readonly Statement[], action: string): Decision {
  const matching = statements.filter((st) =>
    (Array.isArray(st.Action) ? st.Action : [st.Action]).some((p) => actionMatches(p, action)),
  );
  if (matching.some((st) => st.Effect === 'Deny')) return 'ExplicitDeny';
  if (matching.some((st) => st.Effect === 'Allow')) return 'Allow';
  return 'ImplicitDeny';
}

// ---- the principals -----------------------------------------------------------------------------

interface Principal {
  readonly name: string;
  /** System policy name, or the custom policy document's statements. */
  readonly policy: string;
  readonly statements: readonly Statement[];
  readonly custom: boolean;
}

/** System policies as published (cams-api.md §4.5), and the custom policies under test. */
const PRINCIPALS: readonly Principal[] = [
  {
    name: 'full',
    policy: 'AliyunCamsFullAccess',
    custom: false,
    statements: [{ Effect: 'Allow', Action: 'cams:*', Resource: '*' }],
  },
  {
    name: 'readonly',
    policy: 'AliyunCamsReadOnlyAccess',
    custom: false,
    statements: [{ Effect: 'Allow', Action: ['cams:Get*', 'cams:List*'], Resource: '*' }],
  },
  {
    name: 'querygetter',
    policy: 'CamsQueryAndGet',
    custom: true,
    statements: [{ Effect: 'Allow', Action: ['cams:Query*', 'cams:Get*'], Resource: '*' }],
  },
  {
    name: 'noregister',
    policy: 'CamsAllButRegister',
    custom: true,
    statements: [
      { Effect: 'Allow', Action: 'cams:*', Resource: '*' },
      { Effect: 'Deny', Action: 'cams:*Register*', Resource: '*' },
    ],
  },
];

// ---- one SDK call per implemented action --------------------------------------------------------

type Call = (c: CamsClient, space: string) => Promise<unknown>;
const NUMBER = '8613800138800';
const NATIONAL = NUMBER.slice(2);

/** Each implemented action through its own method of the official client, with plausible parameters. */
const CALLS: Readonly<Record<string, Call>> = {
  AddChatappPhoneNumber: (c, custSpaceId) =>
    c.addChatappPhoneNumber(
      new CamsModels.AddChatappPhoneNumberRequest({
        custSpaceId,
        cc: '86',
        phoneNumber: NATIONAL,
        verifiedName: 'Alibaba Cloud',
      }),
    ),
  QueryChatappPhoneNumbers: (c, custSpaceId) =>
    c.queryChatappPhoneNumbers(new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId })),
  GetChatappVerifyCode: (c, custSpaceId) =>
    c.getChatappVerifyCode(
      new CamsModels.GetChatappVerifyCodeRequest({
        custSpaceId,
        phoneNumber: NUMBER,
        method: 'sms',
        locale: 'zh_CN',
      }),
    ),
  ChatappVerifyAndRegister: (c, custSpaceId) =>
    c.chatappVerifyAndRegister(
      new CamsModels.ChatappVerifyAndRegisterRequest({
        custSpaceId,
        phoneNumber: NUMBER,
        verifyCode: '000000',
      }),
    ),
  ChatappPhoneNumberRegister: (c, custSpaceId) =>
    c.chatappPhoneNumberRegister(
      new CamsModels.ChatappPhoneNumberRegisterRequest({ custSpaceId, phoneNumber: NUMBER }),
    ),
  ChatappPhoneNumberDeregister: (c, custSpaceId) =>
    c.chatappPhoneNumberDeregister(
      new CamsModels.ChatappPhoneNumberDeregisterRequest({ custSpaceId, phoneNumber: NUMBER }),
    ),
  GetPhoneNumberVerificationStatus: (c, custSpaceId) =>
    c.getPhoneNumberVerificationStatus(
      new CamsModels.GetPhoneNumberVerificationStatusRequest({ custSpaceId, phoneNumber: NUMBER }),
    ),
  ChatappSyncPhoneNumber: (c, custSpaceId) =>
    c.chatappSyncPhoneNumber(new CamsModels.ChatappSyncPhoneNumberRequest({ custSpaceId })),
  QueryPhoneBusinessProfile: (c, custSpaceId) =>
    c.queryPhoneBusinessProfile(
      new CamsModels.QueryPhoneBusinessProfileRequest({ custSpaceId, phoneNumber: NUMBER }),
    ),
  ModifyPhoneBusinessProfile: (c, custSpaceId) =>
    c.modifyPhoneBusinessProfile(
      new CamsModels.ModifyPhoneBusinessProfileRequest({
        custSpaceId,
        phoneNumber: NUMBER,
        about: 'RAM test',
        websites: ['https://example.com'],
      }),
    ),
  UpdatePhoneWebhook: (c, custSpaceId) =>
    c.updatePhoneWebhook(
      new CamsModels.UpdatePhoneWebhookRequest({
        custSpaceId,
        phoneNumber: NUMBER,
        httpFlag: 'N',
        queueFlag: 'N',
      }),
    ),
  UpdateAccountWebhook: (c, custSpaceId) =>
    c.updateAccountWebhook(new CamsModels.UpdateAccountWebhookRequest({ custSpaceId, httpFlag: 'N' })),
  QueryChatappBindWaba: (c, custSpaceId) =>
    c.queryChatappBindWaba(new CamsModels.QueryChatappBindWabaRequest({ custSpaceId })),
  ChatappBindWaba: (c) =>
    c.chatappBindWaba(new CamsModels.ChatappBindWabaRequest({ wabaId: '880000000000777' })),
  IsvGetAppId: (c) => c.isvGetAppId(new CamsModels.IsvGetAppIdRequest({ type: 'whatsapp' })),
  GetPreValidatePhoneId: (c) =>
    c.getPreValidatePhoneId(
      new CamsModels.GetPreValidatePhoneIdRequest({ phoneNumber: NUMBER, verifyCode: '000000' }),
    ),
  ChatappEmbedSignUp: (c) =>
    c.chatappEmbedSignUp(new CamsModels.ChatappEmbedSignUpRequest({ inputToken: 'not-a-real-token' })),
  GetChatappPhoneNumberMetric: (c, custSpaceId) =>
    c.getChatappPhoneNumberMetric(
      new CamsModels.GetChatappPhoneNumberMetricRequest({
        custSpaceId,
        start: Date.UTC(2026, 0, 1),
        end: Date.UTC(2026, 0, 2),
        granularity: 'DAILY',
      }),
    ),
};

/** Codes answered before authorization runs: seeing one would prove nothing about RAM. */
const BEFORE_AUTHORIZATION = [
  'System.LimitControl',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'InvalidTimeStamp.Expired',
  'SignatureNonceUsed',
  'InvalidApi.NotFound',
  'Action.NotImplemented',
  'InvalidVersion',
];

const SPECS = [...ACTIONS.values()];

let s: TestServer;
const creds = new Map<string, Credentials & { userId: string }>();

beforeAll(async () => {
  // Real flow control: each action is called once per principal, far below 10 per second.
  s = await startServer({ CAMS_SYNC_INTERVAL_MS: '0' });
  for (const p of PRINCIPALS) {
    if (p.custom) {
      await s.app.iam.createPolicy(
        s.root.accountId,
        p.policy,
        JSON.stringify({ Version: '1', Statement: p.statements }),
      );
    }
    creds.set(p.name, await ramUser(s, s.root.accountId, p.name, [p.policy]));
  }
});
afterAll(() => s.close());

/** What the store holds that a call could change (numbers, spaces), to prove a denial changed nothing. */
async function snapshot() {
  const numbers = await s.app.db.selectFrom('phone_numbers').selectAll().orderBy('id').execute();
  const spaces = await s.app.db.selectFrom('cust_spaces').selectAll().orderBy('id').execute();
  return { numbers, spaces };
}

/** The call's outcome: 'OK' or the error the SDK threw. */
async function outcome(call: Promise<unknown>): Promise<{ code: string; err?: SdkError }> {
  try {
    await call;
    return { code: 'OK' };
  } catch (error) {
    return { code: (error as SdkError).code, err: error as SdkError };
  }
}

const expectedSet = (p: Principal, decision: Decision) =>
  SPECS.filter((a) => decide(p.statements, a.ramAction) === decision)
    .map((a) => a.name)
    .sort();

describe('the expected decisions (sanity of the data, before any call)', () => {
  it('every implemented action has an SDK call here', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...ACTIONS.keys()].sort());
    for (const spec of SPECS) expect(spec.ramAction).toBe(`cams:${spec.name}`);
  });

  it('the matcher reads the policies as the reference does', () => {
    const [full, readonly, querygetter, noregister] = PRINCIPALS;
    expect(expectedSet(full!, 'Allow')).toEqual([...ACTIONS.keys()].sort());
    expect(expectedSet(readonly!, 'Allow')).toEqual(
      [
        'GetChatappPhoneNumberMetric',
        'GetChatappVerifyCode',
        'GetPhoneNumberVerificationStatus',
        'GetPreValidatePhoneId',
      ].sort(),
    );
    expect(expectedSet(querygetter!, 'Allow')).toEqual(
      [
        'GetChatappPhoneNumberMetric',
        'GetChatappVerifyCode',
        'GetPhoneNumberVerificationStatus',
        'GetPreValidatePhoneId',
        'QueryChatappBindWaba',
        'QueryChatappPhoneNumbers',
        'QueryPhoneBusinessProfile',
      ].sort(),
    );
    expect(expectedSet(noregister!, 'ExplicitDeny')).toEqual(
      ['ChatappPhoneNumberDeregister', 'ChatappPhoneNumberRegister', 'ChatappVerifyAndRegister'].sort(),
    );
    expect(expectedSet(noregister!, 'ImplicitDeny')).toEqual([]);
  });
});

for (const principal of PRINCIPALS) {
  describe(`RAM user with ${principal.policy}`, () => {
    it.each(SPECS.map((spec) => [spec.name, decide(principal.statements, spec.ramAction), spec.ramAction]))(
      '%s: %s',
      async (name, decision, ramAction) => {
        const user = creds.get(principal.name)!;
        const client = camsClient(s, user);
        const call = CALLS[name]!;
        if (decision === 'Allow') {
          const { code } = await outcome(call(client, s.root.custSpaceId));
          // Allowed: whatever the business outcome, authorization let it through.
          expect(code).not.toBe('Ram.PermissionDeny');
          expect(BEFORE_AUTHORIZATION).not.toContain(code);
          return;
        }
        const before = await snapshot();
        const { code, err } = await outcome(call(client, s.root.custSpaceId));
        expect(code).toBe('Ram.PermissionDeny');
        expect(err!.data?.statusCode).toBe(400);
        expect(err!.data?.RequestId).toMatch(UUID);
        expect(err!.data?.Message).toBe('You are not authorized to perform the operation.');
        expect(err!.accessDeniedDetail).toMatchObject({
          AuthAction: ramAction,
          AuthPrincipalType: 'SubUser',
          AuthPrincipalOwnerId: s.root.accountId,
          AuthPrincipalDisplayName: user.userId,
          NoPermissionType: decision,
        });
        expect(await snapshot()).toEqual(before);
      },
    );
  });
}
