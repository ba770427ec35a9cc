/**
 * The STS action specs against the official SDK, `@alicloud/sts20150401` (the version package-lock.json
 * pins), read from the installed package as test/ram-api/sdk-models.test.ts reads RAM's: the parameters
 * each `*WithOptions` method sends (name, query or body, type). The answers are checked through the SDK
 * itself (test/sts/assume-role.test.ts).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { STS_ACTIONS, STS_DECLARED_ACTIONS } from '../../src/actions/sts/index.js';

interface ModelClass {
  names(): Record<string, string>;
  types(): Record<string, unknown>;
}
type Method = (...args: never[]) => unknown;

const require = createRequire(import.meta.url);
const sdk = require('@alicloud/sts20150401') as { default: { prototype: Record<string, Method> } } & Record<
  string,
  unknown
>;
const CLIENT = sdk.default.prototype;
const model = (name: string) => sdk[name] as ModelClass | undefined;
const methodName = (action: string) => action[0]!.toLowerCase() + action.slice(1);

/** What `<action>WithOptions` sends: each `query["X"] = request.f` / `body["X"] = request.f`. */
function sdkParams(action: string): string[] {
  const src = CLIENT[`${methodName(action)}WithOptions`]!.toString();
  const request = model(`${action}Request`);
  return [...src.matchAll(/\b(query|body)\["([^"]+)"\]\s*=\s*request\.(\w+)\s*;/g)]
    .map(([, location, name, field]) => {
      const t = request!.types()[field!];
      return `${name} ${location} ${t === 'number' ? 'integer' : String(t)}`;
    })
    .sort();
}

describe('STS specs ↔ @alicloud/sts20150401', () => {
  it('declares every action the SDK calls', () => {
    const methods = Object.getOwnPropertyNames(CLIENT)
      .filter((m) => m.endsWith('WithOptions'))
      .map((m) => m.replace(/WithOptions$/, ''));
    expect(STS_DECLARED_ACTIONS.map(methodName).sort()).toEqual(
      methods.filter((m) => !m.startsWith('_')).sort(),
    );
  });

  for (const [action, spec] of STS_ACTIONS) {
    it(`${action}: parameters as the SDK sends them`, () => {
      expect(spec.params.map((p) => `${p.name} ${p.location} ${p.type}`).sort()).toEqual(sdkParams(action));
    });
  }
});
