import type { RequestLog } from '../gateway/request-log.js';
import type { LifecycleService } from '../domain/lifecycle.js';
import type { NumberSettingsService } from '../domain/number-settings.js';
import type { PhoneNumberService } from '../domain/phone-numbers.js';
import type { WabaService } from '../domain/wabas.js';

/** RAM access levels as the CAMS RAM page lists them (cams-api.md §4.5). */
export type AccessLevel = 'get' | 'list' | 'update' | 'create' | 'delete';

export interface ParamSpec {
  /** Wire name, exactly as the SDKs send it. */
  readonly name: string;
  readonly type: 'string';
  readonly required: boolean;
  readonly maxLength?: number;
  readonly enum?: readonly string[];
  readonly deprecated?: boolean;
  /** An empty value is a value (e.g. an empty callback URL clears it), not an absent parameter. */
  readonly allowEmpty?: boolean;
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
}

export interface ActionContext {
  readonly requestId: string;
  /** The calling account: the tenant every read and write is scoped to. */
  readonly accountId: string;
  readonly services: Services;
  readonly log: RequestLog;
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
  readonly ramAction: `cams:${string}`;
  readonly accessLevel: AccessLevel;
  /** Calls per second per account (cams-api.md §1.1). */
  readonly qps: number;
  readonly params: readonly ParamSpec[];
  /** Known differences from Alibaba's service, published in the coverage docs. */
  readonly limitations: readonly string[];
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
