import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, CamsModels, startServer, type TestServer } from '../support/server.js';

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(
  s: TestServer,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, method, headers }, (res) => {
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

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the web route: home page, assets, docs', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers a browser at / with the home page under a strict policy, never cached', async () => {
    const got = await get(s, '/', HTML);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(got.headers['cache-control']).toBe('no-store');
    const csp = String(got.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.body).toContain('href="/explorer"');
    expect(got.body).toContain('href="/console"');
    expect(got.body).toContain('href="/docs/README.md"');
    // No inline script: every <script> either loads a file of ours or is inert JSON.
    for (const tag of got.body.match(/<script[^>]*>/g) ?? [])
      expect(tag).toMatch(/src="\/assets\/|application\/json/);
  });

  it('leaves the CAMS protocol at / to the gateway: V1 GET with Action, POST, and GET without text/html', async () => {
    const v1 = await get(s, '/?Action=AddChatappPhoneNumber&Format=JSON', HTML);
    expect(v1.headers['content-type']).toMatch(/json/);
    expect(JSON.parse(v1.body)).toHaveProperty('RequestId');
    // Without Format the gateway answers in XML, its default.
    const plain = await get(s, '/', { accept: 'application/json' });
    expect(plain.body).toMatch(/<RequestId>[^<]+<\/RequestId>/);
    const post = await get(s, '/', HTML, 'POST');
    expect(post.body).toMatch(/<RequestId>[^<]+<\/RequestId>/);
    // And the official SDK, which signs a POST to /, still gets its answer.
    const client = camsClient(s, s.root);
    const answer = await client.queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
    );
    expect(answer.body?.code).toBe('OK');
  });

  it('serves the built assets named in the page, cached for good, and nothing else', async () => {
    const home = await get(s, '/', HTML);
    const css = /href="(\/assets\/style-[A-Z0-9]{8}\.css)"/.exec(home.body)?.[1];
    expect(css).toBeDefined();
    const got = await get(s, css!);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(got.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(got.body).toContain(':focus-visible');
    const head = await get(s, css!, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    for (const bad of [
      '/assets/manifest.json',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/style-AAAAAAAA.css',
    ])
      expect((await get(s, bad)).status).toBe(404);
  });

  it('serves the README and docs/*.md as text, and refuses any other file', async () => {
    const readme = await get(s, '/docs/README.md');
    expect(readme.status).toBe(200);
    expect(readme.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(readme.body).toContain('cams');
    expect((await get(s, '/docs/architecture.md')).status).toBe(200);
    for (const bad of ['/docs/../package.json', '/docs/%2e%2e%2fpackage.json', '/docs/nope.md', '/docs/'])
      expect((await get(s, bad)).status).toBe(404);
  });
});
