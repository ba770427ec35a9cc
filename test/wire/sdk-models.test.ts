/**
 * The action specs against the official SDK, `@alicloud/cams20200606` (the version package-lock.json pins).
 * Every SDK fact is read from the installed package (its models' names() and types(), the source text of
 * each client `*WithOptions` method, the doc comments of its .d.ts), never from a copy, so editing a spec
 * or upgrading the SDK fails here on any drift: a parameter added or dropped, moved between query and
 * body, retyped, or newly documented as required.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAMS_ACTIONS } from '../../src/actions/cams-actions.js';
import { ACTIONS } from '../../src/actions/index.js';

interface ModelClass {
  names(): Record<string, string>;
  types(): Record<string, unknown>;
}
type Method = (...args: never[]) => unknown;

/** The SDK as CommonJS, as it ships: `default` is the client class, every model is a named export. */
const require = createRequire(import.meta.url);
const SDK_ENTRY = require.resolve('@alicloud/cams20200606');
const sdk = require('@alicloud/cams20200606') as { default: { prototype: Record<string, Method> } } & Record<
  string,
  unknown
>;
const CLIENT = sdk.default.prototype;

function model(name: string): ModelClass | undefined {
  const m = sdk[name] as Partial<ModelClass> | undefined;
  return typeof m?.names === 'function' && typeof m.types === 'function' ? (m as ModelClass) : undefined;
}

/** `addChatappPhoneNumber` for `AddChatappPhoneNumber`. */
const methodName = (action: string) => action[0]!.toLowerCase() + action.slice(1);

/** Every action the client calls, from the `action: "..."` of each `*WithOptions` method. */
function sdkActions(): string[] {
  return Object.getOwnPropertyNames(CLIENT)
    .filter((m) => m.endsWith('WithOptions'))
    .map((m) => /\baction:\s*"(\w+)"/.exec(CLIENT[m]!.toString())?.[1] ?? `(no action in ${m})`);
}

/** One parameter as the client sends it. `type` is in ParamSpec terms, or the SDK's own kind when none fits. */
interface SdkParam {
  readonly name: string;
  readonly location: 'query' | 'body';
  readonly type: string;
  /** The request model field the value comes from (`websitesShrink`). */
  readonly field: string;
}

/** A Tea model type in ParamSpec terms: anything but string and number has no ParamSpec type, so it fails. */
function specType(t: unknown): string {
  if (t === 'string') return 'string';
  // Tea models type every int32/int64 parameter as 'number'; none of the implemented actions takes a float.
  if (t === 'number') return 'integer';
  if (typeof t === 'string') return t; // boolean, any, ...
  if (typeof t === 'function') return `model ${t.name}`;
  return String((t as { type?: unknown }).type ?? JSON.stringify(t)); // array, map
}

const source = (action: string) => CLIENT[`${methodName(action)}WithOptions`]!.toString();

/** The model whose fields the method sends: `<action>ShrinkRequest` when it builds one from the request. */
const sentModel = (action: string) =>
  model(
    new RegExp(`new ${action}ShrinkRequest\\(`).test(source(action))
      ? `${action}ShrinkRequest`
      : `${action}Request`,
  )!;

/**
 * What `<action>WithOptions` sends: each `query["X"] = request.f` / `body["X"] = request.f` of its source,
 * typed from the request model (the `...ShrinkRequest` one when the method builds it) and, for a shrunk
 * field, from the `arrayToStringWithSpecifiedStyle(tmpReq.f, "X", style)` that fills it.
 */
function sdkParams(action: string): SdkParam[] {
  const src = source(action);
  const request = model(`${action}Request`)!;
  const sent = sentModel(action);
  const shrunk = new Map(
    [
      ...src.matchAll(
        /\brequest\.(\w+)\s*=\s*[\w$.]+\.arrayToStringWithSpecifiedStyle\(tmpReq\.(\w+),\s*"[^"]*",\s*"(\w+)"\)/g,
      ),
    ].map((m) => [m[1]!, { from: m[2]!, style: m[3]! }]),
  );
  return [...src.matchAll(/\b(query|body)\["([^"]+)"\]\s*=\s*request\.(\w+)\s*;/g)].map((m) => {
    const [, location, name, field] = m as unknown as [string, 'query' | 'body', string, string];
    const shrink = shrunk.get(field);
    const type =
      shrink === undefined
        ? specType(sent.types()[field])
        : shrink.style === 'json'
          ? 'json'
          : `${shrink.style}-style ${specType(request.types()[shrink.from])}`;
    return { name, location, type, field };
  });
}

/** Every .d.ts of the SDK (1.4.2 has one, dist/client.d.ts; newer ones have one per model). */
const DTS = (readdirSync(dirname(SDK_ENTRY), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.d.ts'))
  .map((f) => readFileSync(join(dirname(SDK_ENTRY), f), 'utf8'))
  .join('\n');

/**
 * The fields of `className` whose doc comment says "This parameter is required." (how Alibaba's generated
 * SDKs document a required parameter, under `@remarks`); undefined when the class is not declared.
 */
function requiredFields(dts: string, className: string): Set<string> | undefined {
  const block = new RegExp(`declare class ${className} extends [^{]*\\{([\\s\\S]*?)\\n\\}`).exec(dts)?.[1];
  if (block === undefined) return undefined;
  const required = new Set<string>();
  for (const [, comment, field] of block.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(\w+)\??\s*:/g)) {
    if (/This parameter is required\./.test(comment!)) required.add(field!);
  }
  return required;
}

/** Whether the installed SDK documents required parameters at all (1.4.2 does not: reference/cams-api.md §1.5). */
const SDK_DOCUMENTS_REQUIRED = /This parameter is required\./.test(DTS);

/**
 * Parameters a spec declares that the installed SDK does not send, each for a documented reason. A
 * difference not listed fails; a listed one that is no longer a difference fails too.
 */
const NOT_IN_SDK: Readonly<Record<string, readonly string[]>> = {
  // Newer SDKs send IntlVersion (optional, in the query); 1.4.2 predates it (reference/cams-api.md §1.3, §1.5).
  IsvGetAppId: ['IntlVersion'],
  // This service's paging of list answers, which CAMS answers whole (src/actions/paging.ts).
  QueryChatappPhoneNumbers: ['MaxResults', 'NextToken'],
  GetChatappPhoneNumberMetric: ['MaxResults', 'NextToken'],
};

const sorted = (xs: Iterable<string>) => [...xs].sort();
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

describe('the SDK extractor (a broken extractor cannot pass the checks below)', () => {
  it("finds AddChatappPhoneNumber's five body parameters", () => {
    expect(sdkParams('AddChatappPhoneNumber').sort(byName)).toEqual([
      { name: 'Cc', location: 'body', type: 'string', field: 'cc' },
      { name: 'CustSpaceId', location: 'body', type: 'string', field: 'custSpaceId' },
      { name: 'PhoneNumber', location: 'body', type: 'string', field: 'phoneNumber' },
      { name: 'PreValidateId', location: 'body', type: 'string', field: 'preValidateId' },
      { name: 'VerifiedName', location: 'body', type: 'string', field: 'verifiedName' },
    ]);
  });

  it('types a JSON-shrunk array as json and an int64 as integer', () => {
    expect(sdkParams('ModifyPhoneBusinessProfile').find((p) => p.name === 'Websites')).toEqual({
      name: 'Websites',
      location: 'query',
      type: 'json',
      field: 'websitesShrink',
    });
    expect(sdkParams('GetChatappPhoneNumberMetric').find((p) => p.name === 'Start')?.type).toBe('integer');
  });

  it('finds every field of every request model, under the wire name its names() gives', () => {
    for (const action of sdkActions()) {
      const names = sentModel(action).names();
      const params = sdkParams(action);
      expect(sorted(params.map((p) => p.field)), action).toEqual(sorted(Object.keys(names)));
      for (const p of params) expect(names[p.field], `${action}.${p.field}`).toBe(p.name);
    }
  });

  it('knows whether the installed SDK documents required parameters (1.4.2: none, so none compared)', () => {
    // The pinned SDK documents no required parameter: our required flags follow the action pages
    // (cams-api.md §1.3). An upgrade that documents them fails here; then update this expectation, and
    // the per-action comparisons of required flags below start to run.
    const version = (require('@alicloud/cams20200606/package.json') as { version: string }).version;
    expect({ version, documentsRequired: SDK_DOCUMENTS_REQUIRED }).toEqual({
      version: '1.4.2',
      documentsRequired: false,
    });
  });

  it('reads "This parameter is required." from a doc comment', () => {
    const dts = [
      'export declare class FooRequest extends $dara.Model {',
      '    /**',
      '     * @remarks',
      '     * The country code.',
      '     *',
      '     * This parameter is required.',
      '     */',
      '    cc?: string;',
      '    /**',
      '     * @remarks',
      '     * Deprecated.',
      '     */',
      '    preValidateId?: string;',
      '    verifiedName?: string;',
      '    static names(): {',
      '        [key: string]: string;',
      '    };',
      '}',
    ].join('\n');
    expect(sorted(requiredFields(dts, 'FooRequest')!)).toEqual(['cc']);
    expect(requiredFields(dts, 'BarRequest')).toBeUndefined();
    expect(requiredFields(DTS, 'AddChatappPhoneNumberRequest')).toBeDefined();
  });
});

describe('the CAMS action list (src/actions/cams-actions.ts)', () => {
  it('is exactly the actions the SDK client calls, each once', () => {
    expect(new Set(CAMS_ACTIONS).size).toBe(CAMS_ACTIONS.length);
    expect(sorted(CAMS_ACTIONS)).toEqual(sorted(sdkActions()));
  });

  it('contains every implemented action', () => {
    for (const name of ACTIONS.keys()) expect(CAMS_ACTIONS).toContain(name);
  });
});

/** `{ name: value }` of each parameter: an object diff shows which parameter drifted. */
const each = <P extends { name: string }, K extends keyof P>(params: readonly P[], key: K) =>
  Object.fromEntries(params.map((p) => [p.name, p[key]]));

for (const spec of ACTIONS.values()) {
  const action = spec.name;
  const notInSdk = new Set(NOT_IN_SDK[action] ?? []);
  const params = spec.params.filter((p) => !notInSdk.has(p.name));

  describe(`${action} against the SDK`, () => {
    it(`is the client method ${methodName(action)} with a ${action}Request model`, () => {
      expect(typeof CLIENT[methodName(action)]).toBe('function');
      expect(typeof CLIENT[`${methodName(action)}WithOptions`]).toBe('function');
      expect(model(`${action}Request`)).toBeDefined();
    });

    it('declares exactly the wire parameters the SDK sends', () => {
      const sent = sdkParams(action).map((p) => p.name);
      expect(sorted(params.map((p) => p.name))).toEqual(sorted(sent));
      for (const name of notInSdk) {
        expect(
          spec.params.map((p) => p.name),
          `NOT_IN_SDK.${action}`,
        ).toContain(name);
        expect(sent, `NOT_IN_SDK.${action}: the SDK now sends ${name}`).not.toContain(name);
      }
    });

    it('declares where the SDK sends each one (query or body)', () => {
      expect(each(params, 'location')).toEqual(each(sdkParams(action), 'location'));
    });

    it("declares each one's SDK type (string, integer, json)", () => {
      expect(each(params, 'type')).toEqual(each(sdkParams(action), 'type'));
    });

    // Registered only where it can run: SDK 1.4.2 documents no required parameter (see the test above,
    // which fails on the upgrade that starts documenting them, so these comparisons then run).
    if (SDK_DOCUMENTS_REQUIRED) {
      it('declares required exactly as the SDK documents it', () => {
        const documented = new Set([
          ...(requiredFields(DTS, `${action}Request`) ?? []),
          ...(requiredFields(DTS, `${action}ShrinkRequest`) ?? []),
        ]);
        const sent = sdkParams(action);
        const isRequired = (field: string) =>
          documented.has(field) || documented.has(field.replace(/Shrink$/, ''));
        expect(each(params, 'required')).toEqual(
          Object.fromEntries(sent.map((p) => [p.name, isRequired(p.field)])),
        );
      });
    }
  });
}
