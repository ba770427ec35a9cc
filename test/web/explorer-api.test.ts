/** The explorer's server side: its page, the public action catalogue, the demo key on loopback only. */
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTS } from '../../src/actions/products.js';
import { checkParam } from '../../src/actions/param-check.js';
import type { ActionCatalogue, CatalogueAction } from '../../src/web/explorer/action-catalogue.js';
import { CONTENT_SECURITY_POLICY } from '../../src/web/page-shell.js';
import { camsClient, CamsModels, sdkError, startServer, type TestServer } from '../support/server.js';

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(s: TestServer, p: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: p, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Values that probe each rule of a parameter: absent, empty, too long, outside the enum, control text. */
function probes(p: { maxLength?: number; enum?: readonly string[] }): Array<string | undefined> {
  const values: Array<string | undefined> = [undefined, '', 'x', 'a\u0001b', '\uD800', '\uFFFE'];
  if (p.maxLength !== undefined) values.push('7'.repeat(p.maxLength), '7'.repeat(p.maxLength + 1));
  for (const e of p.enum ?? []) values.push(e, `${e}x`, e.toLowerCase());
  return values;
}

describe('the explorer route', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('serves its page: HTML naming the explorer script, never cached, under the strict policy', async () => {
    const got = await get(s, '/explorer', { accept: 'text/html' });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(got.body).toMatch(/<script type="module" src="\/assets\/explorer-[A-Z0-9]{8}\.js"><\/script>/);
    expect(got.body).not.toContain(s.root.accessKeySecret);
  });

  it('lists every implemented action of every product (CAMS, RAM, STS) with every parameter exactly as its spec declares it', async () => {
    const got = await get(s, '/explorer/api/actions');
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    const catalogue = JSON.parse(got.body) as ActionCatalogue;
    const products = [...PRODUCTS.values()];
    expect(catalogue.products).toEqual(
      products.map((p) => ({ code: p.code, name: p.name, version: p.version })),
    );
    expect(catalogue.products.map((p) => p.code)).toEqual(['cams', 'ram', 'sts']);
    // Product by product, each action under its own product and Version.
    expect(catalogue.actions.map((a) => [a.product.code, a.version, a.name])).toEqual(
      products.flatMap((p) => [...p.actions.keys()].map((name) => [p.code, p.version, name])),
    );
    for (const listed of catalogue.actions) {
      const product = PRODUCTS.get(listed.version)!;
      expect(listed.product).toEqual({ code: product.code, name: product.name });
      const spec = product.actions.get(listed.name)!;
      expect(listed).toMatchObject({
        summary: spec.summary,
        ramAction: spec.ramAction,
        accessLevel: spec.accessLevel,
        writes: spec.writes,
        qps: spec.qps,
        limitations: spec.limitations,
      });
      expect(listed.params.map((p) => p.name)).toEqual(spec.params.map((p) => p.name));
      spec.params.forEach((declared, i) => {
        const p = listed.params[i]!;
        // Every declared field travels, with its value, and nothing else.
        expect(p).toEqual(JSON.parse(JSON.stringify(declared)));
        // The rule the browser runs on the listed parameter gives the gateway's verdict on every probe.
        for (const value of probes(declared)) {
          expect(checkParam(p, value), `${listed.name}.${p.name} = ${JSON.stringify(value)}`).toEqual(
            checkParam(declared, value),
          );
        }
      });
    }
  });

  it('the gateway refuses what the listed rules refuse: a VerifiedName one character over its listed limit', async () => {
    const catalogue = JSON.parse((await get(s, '/explorer/api/actions')).body) as {
      actions: CatalogueAction[];
    };
    const limit = catalogue.actions
      .find((a) => a.name === 'AddChatappPhoneNumber')!
      .params.find((p) => p.name === 'VerifiedName')!.maxLength!;
    const err = await sdkError(
      camsClient(s, s.root).addChatappPhoneNumber(
        new CamsModels.AddChatappPhoneNumberRequest({
          custSpaceId: s.root.custSpaceId,
          cc: '86',
          phoneNumber: '13800138001',
          verifiedName: 'n'.repeat(limit + 1),
        }),
      ),
    );
    expect(err.code).toBe('InvalidParameter');
    expect(err.data?.Message).toBe(
      `Specified parameter VerifiedName is not valid: expected at most ${limit} characters, got ${limit + 1}.`,
    );
  });

  it('answers nothing else under /explorer/api/ and refuses writes', async () => {
    expect((await get(s, '/explorer/api/nothing')).status).toBe(404);
    expect((await get(s, '/explorer/api/actions', {}, 'POST')).status).toBe(405);
  });
});

describe('the demo key', () => {
  let s: TestServer;
  const write = (server: TestServer) =>
    writeFileSync(
      path.join(server.dataDir, 'demo-credentials.json'),
      JSON.stringify({ ...server.root }, null, 2),
      { mode: 0o600 },
    );
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('is not offered while there is no demo credentials file', async () => {
    expect((await get(s, '/explorer/api/demo-key')).status).toBe(204);
  });

  it('is given to a browser on loopback, never cached', async () => {
    write(s);
    const got = await get(s, '/explorer/api/demo-key');
    expect(got.status).toBe(200);
    expect(got.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(got.body)).toEqual({
      accessKeyId: s.root.accessKeyId,
      accessKeySecret: s.root.accessKeySecret,
      custSpaceId: s.root.custSpaceId,
    });
  });

  it('is refused through a proxy header or under a Host that is not loopback (DNS rebinding)', async () => {
    write(s);
    const refused: Array<Record<string, string>> = [
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
      { 'x-real-ip': '203.0.113.9' },
      { host: 'attacker.example' },
      { host: `attacker.example:${s.port}` },
    ];
    for (const headers of refused) {
      const got = await get(s, '/explorer/api/demo-key', headers);
      expect(got.status, JSON.stringify(headers)).toBe(204);
      expect(got.body).not.toContain(s.root.accessKeySecret);
    }
    expect((await get(s, '/explorer/api/demo-key', { host: `localhost:${s.port}` })).status).toBe(200);
  });

  it('is withdrawn when its key is disabled', async () => {
    write(s);
    await s.app.iam.setAccessKeyStatus(s.root.accountId, s.root.accessKeyId, 'Inactive');
    try {
      expect((await get(s, '/explorer/api/demo-key')).status).toBe(204);
    } finally {
      await s.app.iam.setAccessKeyStatus(s.root.accountId, s.root.accessKeyId, 'Active');
    }
  });

  it.each([
    ['listening on every interface', { CAMS_HOST: '0.0.0.0' }],
    ['with the demo off', { CAMS_DEMO: 'false' }],
  ])('is never offered %s, even to loopback', async (_label, env) => {
    const other = await startServer(env);
    try {
      write(other);
      const got = await get(other, '/explorer/api/demo-key');
      expect(got.status).toBe(204);
      expect(got.body).not.toContain(other.root.accessKeySecret);
    } finally {
      await other.close();
    }
  });
});
