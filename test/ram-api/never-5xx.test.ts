/**
 * Bad input to every implemented RAM action never answers 5xx: each parameter in turn gets values that
 * are wrong in shape (not a number, JSON that is not a policy, too long, a name of symbols), sent through
 * the RAM SDK's generic call with signature V3. Every answer is a catalogued 4xx (or a success, for a
 * value that happens to be valid), and the account's identities are unchanged by the refused calls.
 */
import * as OpenApi from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAM_ACTIONS } from '../../src/actions/ram/index.js';
import { startServer, type TestServer } from '../support/server.js';
import { ramClient, type RamError } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => s?.close());

const BAD = [
  'x',
  '-1',
  '1e309',
  '{"Version":"1","Statement":[]}',
  '[]',
  'null',
  '!!',
  'a'.repeat(5000),
  '../..',
];

async function call(action: string, query: Record<string, string>): Promise<number> {
  try {
    await ramClient(s, s.root).callApi(
      new OpenApi.$OpenApiUtil.Params({
        action,
        version: '2015-05-01',
        protocol: 'HTTP',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      }),
      new OpenApi.$OpenApiUtil.OpenApiRequest({ query }),
      new $dara.RuntimeOptions({}),
    );
    return 200;
  } catch (error) {
    const e = error as RamError;
    return e.statusCode ?? e.data?.statusCode ?? -1;
  }
}

const snapshot = async () => ({
  users: (await s.app.iam.listUsers(s.root.accountId)).map((u) => u.name),
  keys: (await s.app.iam.listAccessKeys(s.root.accountId)).map((k) => `${k.id}:${k.status}`),
  policies: (await s.app.iam.listPolicies(s.root.accountId)).map((p) => p.name),
});

describe('every RAM action, every parameter, bad values', () => {
  it('answers 4xx, never 5xx, and refused calls change nothing', async () => {
    const before = await snapshot();
    const statuses = new Map<number, number>();
    for (const spec of RAM_ACTIONS.values()) {
      for (const param of spec.params) {
        for (const bad of BAD) {
          // The other required parameters hold a name that exists nowhere, so nothing can be changed.
          const query: Record<string, string> = {};
          for (const p of spec.params) if (p.required) query[p.name] = 'no-such-entity';
          query[param.name] = bad;
          const status = await call(spec.name, query);
          expect(status, `${spec.name} ${param.name}=${bad.slice(0, 40)}`).toBeGreaterThanOrEqual(200);
          expect(status, `${spec.name} ${param.name}=${bad.slice(0, 40)}`).toBeLessThan(500);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }
    }
    expect([...statuses.keys()].some((status) => status >= 400)).toBe(true);
    const after = await snapshot();
    // A value that is valid may create a user, role or policy named like it; none of the refused calls did.
    expect(after.keys).toEqual(before.keys);
    for (const name of before.users) expect(after.users).toContain(name);
  });
});
