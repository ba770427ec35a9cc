import type { RequestLog } from '../log/request-log.js';
import type { LifecycleService } from '../domain/lifecycle.js';
import type { NumberSettingsService } from '../domain/number-settings.js';
import type { PhoneNumberService } from '../domain/phone-numbers.js';
import type { WabaService } from '../domain/wabas.js';
import type { IamService, ResolvedKey } from '../iam/iam-service.js';
import type { StsSessions } from '../iam/sts-sessions.js';
import type { RoleService } from '../iam/role-service.js';
import type { RamPolicyService } from '../iam/ram-policy-service.js';
import type { UserService } from '../iam/user-service.js';

/** The RAM service codes of the products this service speaks (actions/products.ts). */
export type RamServiceCode = 'cams' | 'ram' | 'sts';

/** RAM access levels as the CAMS RAM page lists them (cams-api.md §4.5). */
export type AccessLevel = 'get' | 'list' | 'update' | 'create' | 'delete';

/**
 * Where `@alicloud/cams20200606` 1.4.2 sends a parameter: the URL query or the form body
 * (cams-api.md §1.3, column "1.4.2 loc"). The gateway reads every parameter from either, since
 * newer SDKs moved them all to the query (cams-api.md §1.1); the declaration is what test/wire/sdk-models.test.ts
 * checks against the SDK.
 */
export type ParamLocation = 'query' | 'body';

export interface ParamSpec {
  /** Wire name, exactly as the SDKs send it. */
  readonly name: string;
  /**
   * What the wire value holds; every value travels as a string and is validated alike
   * (reference/cams-api.md §1.1).
   * `integer`: the SDK model field is a number, sent as decimal digits. `json`: the SDK model field is an
   * array, sent as one JSON string (a `...Shrink` field, `arrayToStringWithSpecifiedStyle(..., "json")`).
   */
  readonly type: 'string' | 'integer' | 'json' | 'boolean';
  readonly required: boolean;
  readonly location: ParamLocation;
  readonly maxLength?: number;
  readonly enum?: readonly string[];
  readonly deprecated?: boolean;
  /** An empty value is a value (e.g. an empty callback URL clears it), not an absent parameter. */
  readonly allowEmpty?: boolean;
  /**
   * This service's own parameter, in neither Alibaba's API nor the SDK's model (the paging of list
   * answers): the typed SDK methods cannot send it; pop-core's `request` and `callApi` can.
   */
  readonly extension?: boolean;
  readonly description: string;
}

/** Validated wire parameters: declared names only, present values are strings. */
export type WireParams = Readonly<Record<string, string | undefined>>;

/** The services an action handler may use; tenant scope is passed explicitly to each. */
export interface Services {
  readonly phoneNumbers: PhoneNumberService;
  readonly lifecycle: LifecycleService;
  readonly settings: NumberSettingsService;
  readonly wabas: WabaService;
  /** Accounts, RAM users, access keys and policies (the RAM API's and the CLI's one service). */
  readonly iam: IamService;
  /** Temporary credentials (STS AssumeRole). */
  readonly sts: StsSessions;
  /** RAM roles and their trust policies. */
  readonly roles: RoleService;
  /** RAM users, their access keys and policies, as the RAM API manages them. */
  readonly users: UserService;
  /** Custom policies and their versions, as the RAM API manages them. */
  readonly policies: RamPolicyService;
}

export interface ActionContext {
  readonly requestId: string;
  /** The calling account: the tenant every read and write is scoped to. */
  readonly accountId: string;
  /** The RAM user calling; undefined for the account's own (root) keys. */
  readonly userName?: string | undefined;
  readonly services: Services;
  readonly log: RequestLog;
  /** Who called: the key, its account, its RAM user or the role a temporary credential assumed. */
  readonly caller: ResolvedKey;
  /** The request's condition keys (cams-api.md §4.4), as authorization saw them. */
  readonly conditions: Readonly<Record<string, string | undefined>>;
}

/** Action data in wire names; the envelope (RequestId, Code, ...) is added by the serializer. */
export type WireData = Record<string, unknown>;

/**
 * One wire action: its declaration (the source of validation, RAM, flow control, docs) and its handler.
 * The handler receives the translated input (`CustSpaceId` -> `custSpaceId`).
 */
export interface ActionSpec<Input = unknown> {
  readonly name: string;
  readonly summary: string;
  /** The RAM action authorization evaluates: `cams:<Action>`, `ram:<Action>` or `sts:<Action>`. */
  readonly ramAction: `${RamServiceCode}:${string}`;
  readonly accessLevel: AccessLevel;
  /**
   * Whether the action changes state here or upstream (a number, a space, a webhook, a verification
   * code sent or checked). A write is recorded in the audit trail whatever its outcome; a read only
   * when it is denied. Not the RAM access level: GetChatappVerifyCode is `get` to RAM but sends a code.
   */
  readonly writes: boolean;
  /** Calls per second per account (cams-api.md §1.1). */
  readonly qps: number;
  readonly params: readonly ParamSpec[];
  /** Known differences from Alibaba's service, published in the coverage docs. */
  readonly limitations: readonly string[];
  /**
   * `none`: no RAM authorization at all (STS GetCallerIdentity: every identity may ask who it is);
   * otherwise the caller's policies decide (gateway/authorize.ts).
   */
  readonly authorization?: 'none';
  /** Message of a success envelope (Alibaba varies it per action: "OK", "SUCCESS"). */
  readonly successMessage?: string;
  // Method syntax on purpose: registries hold ActionSpec<unknown>, each handler takes its own toInput's result.
  toInput(params: WireParams): Input;
  handler(input: Input, ctx: ActionContext): Promise<WireData>;
}

/** Declares an action with its input type inferred. */
export function defineAction<Input>(spec: ActionSpec<Input>): ActionSpec<Input> {
  return spec;
}
