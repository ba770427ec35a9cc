/**
 * The RAM action specs against the official SDK, `@alicloud/ram20150501` (the version package-lock.json
 * pins), read from the installed package as test/wire/sdk-models.test.ts reads CAMS's: the parameters
 * each `*WithOptions` method sends (name, query or body, type), and the request models' doc comments
 * for what is required.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RAM_ACTIONS, RAM_DECLARED_ACTIONS } from '../../src/actions/ram/index.js';

interface ModelClass {
  names(): Record<string, string>;
  types(): Record<string, unknown>;
}
type Method = (...args: never[]) => unknown;

const require = createRequire(import.meta.url);
const SDK_ENTRY = require.resolve('@alicloud/ram20150501');
const sdk = require('@alicloud/ram20150501') as { default: { prototype: Record<string, Method> } } & Record<
  string,
  unknown
>;
const CLIENT = sdk.default.prototype;
const model = (name: string) => sdk[name] as ModelClass | undefined;
const methodName = (action: string) => action[0]!.toLowerCase() + action.slice(1);
const source = (action: string) => CLIENT[`${methodName(action)}WithOptions`]!.toString();

function specType(t: unknown): string {
  if (t === 'string') return 'string';
  if (t === 'number') return 'integer';
  if (typeof t === 'string') return t;
  if (typeof t === 'function') return `model ${t.name}`;
  return String((t as { type?: unknown }).type ?? JSON.stringify(t));
}

/** What `<action>WithOptions` sends: each `query["X"] = request.f` / `body["X"] = request.f`. */
function sdkParams(action: string): Array<{ name: string; location: string; type: string; field: string }> {
  const src = source(action);
  const shrinkModel = new RegExp(`new \\$_model\\.${action}ShrinkRequest\\(`).test(src)
    ? 'ShrinkRequest'
    : 'Request';
  const sent = model(`${action}${shrinkModel}`)!;
  const shrunk = new Map(
    [
      ...src.matchAll(
        /\brequest\.(\w+)\s*=\s*[\w$.]+\.arrayToStringWithSpecifiedStyle\(tmpReq\.(\w+),\s*"[^"]*",\s*"(\w+)"\)/g,
      ),
    ].map((m) => [m[1]!, m[3]!]),
  );
  return [...src.matchAll(/\b(query|body)\["([^"]+)"\]\s*=\s*request\.(\w+)\s*;/g)].map((m) => {
    const [, location, name, field] = m as unknown as [string, string, string, string];
    const style = shrunk.get(field);
    const type =
      style === undefined ? specType(sent.types()[field]) : style === 'json' ? 'json' : `${style}-style`;
    return { name, location, type, field };
  });
}

const DTS = (readdirSync(dirname(SDK_ENTRY), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.d.ts'))
  .map((f) => readFileSync(join(dirname(SDK_ENTRY), f), 'utf8'))
  .join('\n');

const SDK_DOCUMENTS_REQUIRED = /This parameter is required\./.test(DTS);

/** The fields of `className` whose doc comment says "This parameter is required.". */
function requiredFields(className: string): Set<string> {
  const block =
    new RegExp(`declare class ${className} extends [^{]*\\{([\\s\\S]*?)\\n\\}`).exec(DTS)?.[1] ?? '';
  const required = new Set<string>();
  for (const [, comment, field] of block.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(\w+)\??\s*:/g)) {
    if (/This parameter is required\./.test(comment!)) required.add(field!);
  }
  return required;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const each = <P extends { name: string }, K extends keyof P>(params: readonly P[], key: K) =>
  Object.fromEntries(params.map((p) => [p.name, p[key]]));

describe('the RAM action list (src/actions/ram/index.ts)', () => {
  it('is exactly the actions the SDK client calls', () => {
    const called = Object.getOwnPropertyNames(CLIENT)
      .filter((m) => m.endsWith('WithOptions'))
      .map((m) => /\baction:\s*"(\w+)"/.exec(CLIENT[m]!.toString())?.[1]);
    expect(sorted(RAM_DECLARED_ACTIONS)).toEqual(sorted(called as string[]));
  });

  it('implements only declared actions, each with a ram: RAM action of its name', () => {
    for (const [name, spec] of RAM_ACTIONS) {
      expect(RAM_DECLARED_ACTIONS).toContain(name);
      expect(spec.ramAction).toBe(`ram:${name}`);
    }
  });

  it("finds CreateRole's parameters (a broken extractor cannot pass the checks below)", () => {
    expect(sorted(sdkParams('CreateRole').map((p) => `${p.name}:${p.location}:${p.type}`))).toEqual([
      'AssumeRolePolicyDocument:query:string',
      'Description:query:string',
      'MaxSessionDuration:query:integer',
      'RoleName:query:string',
      'Tag:query:json',
    ]);
  });

  it('knows whether the installed SDK documents required parameters (1.2.1: none, so none compared)', () => {
    // Our required flags follow RAM's API reference; an upgrade that documents them fails here, and the
    // per-action comparisons below start to run.
    const version = (require('@alicloud/ram20150501/package.json') as { version: string }).version;
    expect({ version, documentsRequired: SDK_DOCUMENTS_REQUIRED }).toEqual({
      version: '1.2.1',
      documentsRequired: false,
    });
  });
});

for (const spec of RAM_ACTIONS.values()) {
  const action = spec.name;
  describe(`${action} against the SDK`, () => {
    const sent = sdkParams(action);
    it('declares exactly the wire parameters the SDK sends, where and as what it sends them', () => {
      expect(sorted(spec.params.map((p) => p.name))).toEqual(sorted(sent.map((p) => p.name)));
      expect(each(spec.params, 'location')).toEqual(each(sent, 'location'));
      expect(each(spec.params, 'type')).toEqual(each(sent, 'type'));
    });

    // Compared only once the SDK documents required parameters (the test above fails on that upgrade):
    // declared, not skipped, so no skipped test stands in the suite meanwhile.
    if (SDK_DOCUMENTS_REQUIRED)
      it('declares required exactly as the SDK documents it', () => {
        const documented = new Set([
          ...requiredFields(`${action}Request`),
          ...requiredFields(`${action}ShrinkRequest`),
        ]);
        const isRequired = (field: string) =>
          documented.has(field) || documented.has(field.replace(/Shrink$/, ''));
        expect(each(spec.params, 'required')).toEqual(
          Object.fromEntries(sent.map((p) => [p.name, isRequired(p.field)])),
        );
      });
  });
}
