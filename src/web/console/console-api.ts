import { normalizePhoneNumber } from '../../domain/phone-number.js';
import { AdminError } from '../../errors/index.js';
import { SYSTEM_POLICIES } from '../../iam/policy/index.js';
import { parseDuration } from '../../operator/operator.js';
import type { PhoneNumberRecord } from '../../store/records.js';
import type { WebhookEventStatus } from '../../webhooks/index.js';
import type { ConsoleServices } from './console-deps.js';

/** A console API call as the route hands it over: the path below /console/api/, the JSON body. */
export interface ConsoleCall {
  readonly method: string;
  /** Decoded path segments below /console/api/. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
}

export interface ConsoleAnswer {
  readonly status: number;
  readonly body: unknown;
  /** What the audit trail records of a write beyond what its path names: a resource it created. */
  readonly audit?: { accountId?: string; custSpaceId?: string; phoneNumber?: string };
}

export const NUMBERS_DEFAULT_LIMIT = 50;
export const NUMBERS_MAX_LIMIT = 200;

const text = (b: Record<string, unknown>, name: string): string => {
  const v = b[name];
  if (typeof v !== 'string' || v.trim() === '') throw new AdminError(`${name} is required`);
  return v;
};
const optionalText = (b: Record<string, unknown>, name: string): string | undefined => {
  const v = b[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new AdminError(`${name} must be text`);
  return v;
};
const flag = (b: Record<string, unknown>, name: string): boolean => {
  const v = b[name];
  if (typeof v !== 'boolean') throw new AdminError(`${name} must be true or false`);
  return v;
};
const ok = (body: unknown, audit?: ConsoleAnswer['audit'], status = 200): ConsoleAnswer => ({
  status,
  body,
  ...(audit === undefined ? {} : { audit }),
});

/** A number as the console shows it: everything but the sealed PIN and internal ids. */
export function numberView(n: PhoneNumberRecord) {
  return {
    phoneNumber: n.e164,
    cc: n.cc,
    nationalNumber: n.nationalNumber,
    verifiedName: n.verifiedName,
    status: n.status,
    codeVerificationStatus: n.codeVerificationStatus,
    nameStatus: n.nameStatus,
    nameRejectionReason: n.nameStatus === 'Rejected' ? n.nameRejectionReason : '',
    newNameStatus: n.newNameStatus,
    qualityRating: n.qualityRating,
    messagingLimitTier: n.messagingLimitTier,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
  };
}

function pageLimit(raw: string | null): number {
  const limit = raw === null || raw === '' ? NUMBERS_DEFAULT_LIMIT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > NUMBERS_MAX_LIMIT)
    throw new AdminError(`limit must be an integer from 1 to ${NUMBERS_MAX_LIMIT}, got "${raw}"`);
  return limit;
}

function digitsParam(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name) ?? '';
  if (v === '') return undefined;
  if (!/^\d{1,20}$/.test(v)) throw new AdminError(`${name} must be digits, got "${v}"`);
  return v;
}

const WEBHOOK_STATUSES: readonly WebhookEventStatus[] = ['pending', 'delivered', 'failed'];

type Handler = (s: ConsoleServices, call: ConsoleCall, p: readonly string[]) => Promise<ConsoleAnswer>;

/**
 * The console's API, one entry per operation: [method, path pattern (`:x` a segment), handler]. Each
 * handler calls the service the CLI verb of the same name calls (noted beside it), so validation and
 * messages are the CLI's.
 */
const OPERATIONS: Array<[string, string, Handler]> = [
  // cams account list / create / subscribe / unsubscribe
  ['GET', 'accounts', async (s) => ok({ accounts: await s.iam.listAccounts() })],
  [
    'POST',
    'accounts',
    async (s, { body }) => {
      const account = await s.iam.createAccount({
        name: text(body, 'name'),
        subscribed: body.subscribed === undefined ? true : flag(body, 'subscribed'),
        ...(optionalText(body, 'id') === undefined ? {} : { id: optionalText(body, 'id') }),
      });
      return ok({ account }, { accountId: account.id }, 201);
    },
  ],
  ['GET', 'accounts/:a', async (s, _c, [a]) => ok({ account: await s.iam.account(a!) })],
  [
    'POST',
    'accounts/:a/subscription',
    async (s, { body }, [a]) =>
      ok({ account: await s.iam.setSubscribed(a!, flag(body, 'subscribed')) }, { accountId: a! }),
  ],
  // cams user list / create
  ['GET', 'accounts/:a/users', async (s, _c, [a]) => ok({ users: await s.iam.listUsers(a!) })],
  [
    'POST',
    'accounts/:a/users',
    async (s, { body }, [a]) => {
      const user = await s.iam.createUser(a!, text(body, 'name'), optionalText(body, 'displayName'));
      return ok({ user }, { accountId: a! }, 201);
    },
  ],
  [
    'GET',
    'accounts/:a/users/:u/policies',
    async (s, _c, [a, u]) => {
      const user = await s.iam.user(a!, u!);
      const policies = await s.iam.policiesOf(a!, user.id);
      return ok({ policies: policies.map((p) => ({ name: p.name, type: p.type })) });
    },
  ],
  // cams policy attach / detach
  [
    'POST',
    'accounts/:a/users/:u/policies',
    async (s, { body }, [a, u]) => {
      const policy = text(body, 'policy');
      await s.iam.attachPolicy(a!, u!, policy);
      return ok({ user: u, policy, attached: true }, { accountId: a! });
    },
  ],
  [
    'DELETE',
    'accounts/:a/users/:u/policies/:p',
    async (s, _c, [a, u, p]) => {
      await s.iam.detachPolicy(a!, u!, p!);
      return ok({ user: u, policy: p, attached: false }, { accountId: a! });
    },
  ],
  // cams key list / create / enable / disable (a secret is answered once, at creation)
  [
    'GET',
    'accounts/:a/keys',
    async (s, _c, [a]) => {
      const keys = (await s.iam.listAccessKeys(a!)).map(({ secretSealed: _s, ...k }) => k);
      return ok({ keys });
    },
  ],
  [
    'POST',
    'accounts/:a/keys',
    async (s, { body }, [a]) => {
      const userName = optionalText(body, 'userName');
      const key = await s.iam.createAccessKey(a!, userName === undefined ? {} : { userName });
      return ok({ key }, { accountId: a! }, 201);
    },
  ],
  [
    'POST',
    'accounts/:a/keys/:k/status',
    async (s, { body }, [a, k]) => {
      const status = text(body, 'status');
      if (status !== 'Active' && status !== 'Inactive')
        throw new AdminError(`status must be Active or Inactive, got "${status}"`);
      await s.iam.setAccessKeyStatus(a!, k!, status);
      return ok({ id: k, status }, { accountId: a! });
    },
  ],
  // cams policy list / create
  [
    'GET',
    'accounts/:a/policies',
    async (s, _c, [a]) => {
      const system = SYSTEM_POLICIES.map((p) => ({ name: p.name, type: 'System', document: p.document }));
      return ok({ policies: [...system, ...(await s.iam.listPolicies(a!))] });
    },
  ],
  [
    'POST',
    'accounts/:a/policies',
    async (s, { body }, [a]) => {
      const name = text(body, 'name');
      await s.iam.createPolicy(a!, name, text(body, 'document'), optionalText(body, 'description') ?? '');
      return ok({ name, type: 'Custom' }, { accountId: a! }, 201);
    },
  ],
  // cams space list / create (the WABA's token is never answered, only whether the space has one)
  [
    'GET',
    'accounts/:a/spaces',
    async (s, _c, [a]) => {
      await s.iam.account(a!);
      const spaces = await s.spaces.list(a!);
      return ok({
        spaces: await Promise.all(
          spaces.map(async (space) => ({
            id: space.id,
            name: space.name,
            wabaId: space.wabaId,
            createdAt: space.createdAt,
            statusCallbackUrl: space.statusCallbackUrl,
            ownToken: await s.hasOwnToken(a!, space.id),
          })),
        ),
      });
    },
  ],
  [
    'POST',
    'accounts/:a/spaces',
    async (s, { body }, [a]) => {
      await s.iam.account(a!);
      const id = optionalText(body, 'id');
      const wabaId = optionalText(body, 'wabaId');
      const space = await s.spaces.create(a!, {
        name: text(body, 'name'),
        ...(id === undefined ? {} : { id }),
        ...(wabaId === undefined ? {} : { wabaId }),
      });
      return ok({ space }, { accountId: a!, custSpaceId: space.id }, 201);
    },
  ],
  // cams number list, paged by keyset (e164 order) so a space of any size answers bounded pages
  [
    'GET',
    'accounts/:a/spaces/:c/numbers',
    async (s, { query }, [a, c]) => {
      const limit = pageLimit(query.get('limit'));
      const after = digitsParam(query, 'cursor');
      const prefix = digitsParam(query, 'prefix');
      const status = query.get('status') || undefined;
      const nameStatus = query.get('nameStatus') || undefined;
      // The page QueryChatappPhoneNumbers reads, brought up to date the same way, with the console's filters.
      const page = await s.phoneNumbers.listPage(a!, c!, {
        limit,
        ...(after === undefined ? {} : { after: { custSpaceId: c!, e164: after } }),
        ...(prefix === undefined ? {} : { prefix }),
        ...(status === undefined ? {} : { status }),
        ...(nameStatus === undefined ? {} : { nameStatus }),
      });
      const numbers = page.numbers.map(numberView);
      return ok({ numbers, ...(page.next === undefined ? {} : { nextCursor: page.next.e164 }) });
    },
  ],
  // Onboarding, as the actions do it: AddChatappPhoneNumber, GetChatappVerifyCode,
  // GetPreValidatePhoneId (verify), ChatappPhoneNumberRegister, GetPhoneNumberVerificationStatus.
  [
    'POST',
    'accounts/:a/spaces/:c/numbers',
    async (s, { body }, [a, c]) => {
      const number = normalizePhoneNumber(text(body, 'cc'), text(body, 'phoneNumber'));
      const record = await s.phoneNumbers.add(a!, {
        custSpaceId: c!,
        number,
        verifiedName: text(body, 'verifiedName'),
      });
      return ok(
        { number: numberView(record) },
        { accountId: a!, custSpaceId: c!, phoneNumber: number.e164 },
        201,
      );
    },
  ],
  [
    'POST',
    'accounts/:a/spaces/:c/numbers/:n/code',
    async (s, { body }, [a, c, n]) => {
      const method = optionalText(body, 'method') ?? 'sms';
      if (method !== 'sms' && method !== 'voice')
        throw new AdminError(`method must be sms or voice, got "${method}"`);
      await s.lifecycle.requestCode(
        a!,
        { custSpaceId: c!, e164: n! },
        method,
        optionalText(body, 'locale') ?? 'en_US',
      );
      return ok({ requested: true }, { accountId: a!, custSpaceId: c!, phoneNumber: n! });
    },
  ],
  [
    'POST',
    'accounts/:a/spaces/:c/numbers/:n/verify',
    async (s, { body }, [a, c, n]) => {
      const code = text(body, 'code').trim();
      // GetPreValidatePhoneId's check of the code (Meta's verify_code), for a number of this space.
      await s.phoneNumbers.locate(a!, c!, n!);
      const record = await s.lifecycle.preValidate(a!, n!, code);
      return ok({ number: numberView(record) }, { accountId: a!, custSpaceId: c!, phoneNumber: n! });
    },
  ],
  [
    'POST',
    'accounts/:a/spaces/:c/numbers/:n/register',
    async (s, _c, [a, c, n]) => {
      await s.lifecycle.register(a!, { custSpaceId: c!, e164: n! });
      const record = await s.lifecycle.verificationStatus(a!, { custSpaceId: c!, e164: n! });
      return ok({ number: numberView(record) }, { accountId: a!, custSpaceId: c!, phoneNumber: n! });
    },
  ],
  [
    'POST',
    'accounts/:a/spaces/:c/numbers/:n/refresh',
    async (s, _c, [a, c, n]) => {
      const record = await s.lifecycle.verificationStatus(a!, { custSpaceId: c!, e164: n! });
      return ok({ number: numberView(record) }, { accountId: a!, custSpaceId: c!, phoneNumber: n! });
    },
  ],
  // cams sim outbox / clock / fault
  [
    'GET',
    'sim/outbox',
    async (s, { query }) => ok({ messages: await s.operator.outbox(digitsParam(query, 'phoneNumber')) }),
  ],
  ['GET', 'sim/clock', async (s) => ok(await s.operator.clock())],
  [
    'POST',
    'sim/clock',
    async (s, { body }) => ok(await s.operator.advanceClock(parseDuration(text(body, 'advance')))),
  ],
  [
    'GET',
    'sim/faults',
    async (s) => ok({ faults: await s.operator.listFaults(), ...s.operator.faultChoices() }),
  ],
  [
    'POST',
    'sim/faults',
    async (s, { body }) => {
      const times = optionalText(body, 'times');
      const fault = await s.operator.addFault({
        operation: text(body, 'operation'),
        preset: optionalText(body, 'preset'),
        phoneNumber: optionalText(body, 'phoneNumber'),
        custSpaceId: optionalText(body, 'custSpaceId'),
        times: times === undefined ? 1 : times === 'always' ? 'always' : Number(times),
      });
      return ok({ fault }, {}, 201);
    },
  ],
  ['DELETE', 'sim/faults', async (s) => ok({ cleared: await s.operator.clearFaults() })],
  ['DELETE', 'sim/faults/:f', async (s, _c, [f]) => ok({ cleared: await s.operator.clearFaults(f) })],
  // cams webhook events, and a redelivery
  [
    'GET',
    'accounts/:a/webhooks',
    async (s, { query }, [a]) => {
      await s.iam.account(a!);
      const status = query.get('status') || undefined;
      if (status !== undefined && !(WEBHOOK_STATUSES as readonly string[]).includes(status))
        throw new AdminError(`status must be one of ${WEBHOOK_STATUSES.join(', ')}, got "${status}"`);
      const limit = pageLimit(query.get('limit'));
      return ok({
        events: await s.webhooks.listEvents(a!, {
          limit,
          ...(status === undefined ? {} : { status: status as WebhookEventStatus }),
        }),
      });
    },
  ],
  [
    'GET',
    'accounts/:a/webhooks/:e/attempts',
    async (s, _c, [a, e]) => {
      await s.iam.account(a!);
      const attempts = await s.webhooks.listAttempts(a!, e!);
      if (attempts === undefined) throw new AdminError(`account ${a!} has no webhook event ${e!}`);
      return ok({ attempts });
    },
  ],
  [
    'POST',
    'accounts/:a/webhooks/:e/redeliver',
    async (s, _c, [a, e]) => {
      await s.iam.account(a!);
      if (!(await s.webhooks.redeliver(a!, e!)))
        throw new AdminError(`account ${a!} has no delivered or failed webhook event ${e!}`);
      return ok({ id: e, status: 'pending' }, { accountId: a! });
    },
  ],
  // cams audit
  [
    'GET',
    'audit',
    async (s, { query }) => {
      const q = (name: string) => query.get(name) ?? undefined;
      return ok(
        await s.operator.auditEvents({
          account: q('account'),
          action: q('action'),
          code: q('code'),
          since: q('since'),
          until: q('until'),
          limit: q('limit'),
          cursor: q('cursor'),
        }),
      );
    },
  ],
];

const ROUTES = OPERATIONS.map(([method, pattern, handler]) => ({
  method,
  parts: pattern.split('/'),
  handler,
}));

/** The operation a call names and its path parameters; undefined when there is none. */
function route(call: ConsoleCall): { handler: Handler; params: string[] } | undefined {
  for (const r of ROUTES) {
    if (r.method !== call.method || r.parts.length !== call.segments.length) continue;
    const params: string[] = [];
    if (
      r.parts.every((part, i) => {
        if (part.startsWith(':')) return params.push(call.segments[i]!) > 0;
        return part === call.segments[i];
      })
    )
      return { handler: r.handler, params };
  }
  return undefined;
}

/** Answers a console API call through the services; errors are the caller's to translate. */
export async function consoleApi(services: ConsoleServices, call: ConsoleCall): Promise<ConsoleAnswer> {
  const found = route(call);
  if (found === undefined)
    return {
      status: 404,
      body: {
        Code: 'InvalidApi.NotFound',
        Message: `No console operation ${call.method} /${call.segments.join('/')}.`,
      },
    };
  return found.handler(services, call, found.params);
}
