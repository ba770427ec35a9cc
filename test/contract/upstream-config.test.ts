/**
 * The configuration keys of the upstream (README "Running against Meta") and the HTTP simulator mounted
 * in the CAMS server by CAMS_SIMULATOR_HTTP.
 */
import { ConfigError } from '../../src/errors/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer, type TestServer } from '../support/server.js';

const TOKEN = 'mounted-simulator-token-0123456789';

describe('upstream configuration', () => {
  it('defaults to the simulator, Meta at graph.facebook.com v23.0, no HTTP simulator', () => {
    const config = loadConfig({});
    expect(config.upstream).toBe('simulator');
    expect(config.graph).toEqual({
      baseUrl: 'https://graph.facebook.com',
      apiVersion: 'v23.0',
      accessToken: undefined,
      timeoutMs: 10_000,
    });
    expect(config.simulatorHttp).toBeUndefined();
    expect(config.demo.enabled).toBe(true);
  });

  it('takes the graph keys, and turns the demo off for Meta', () => {
    const config = loadConfig({
      CAMS_UPSTREAM: 'graph',
      CAMS_GRAPH_ACCESS_TOKEN: 'EAAG-system-user',
      CAMS_GRAPH_BASE_URL: 'https://graph.example/',
      CAMS_GRAPH_API_VERSION: 'v26.0',
      CAMS_GRAPH_TIMEOUT_MS: '2500',
    });
    expect(config).toMatchObject({
      upstream: 'graph',
      graph: {
        baseUrl: 'https://graph.example',
        apiVersion: 'v26.0',
        accessToken: 'EAAG-system-user',
        timeoutMs: 2_500,
      },
      demo: { enabled: false },
    });
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ CAMS_UPSTREAM: 'meta' }, /CAMS_UPSTREAM must be simulator or graph/],
    [{ CAMS_UPSTREAM: 'graph' }, /needs CAMS_GRAPH_ACCESS_TOKEN/],
    [{ CAMS_GRAPH_API_VERSION: 'v20.0' }, /live Graph API version/],
    [{ CAMS_GRAPH_API_VERSION: '23' }, /live Graph API version/],
    [{ CAMS_GRAPH_BASE_URL: 'graph.facebook.com' }, /http\(s\) URL/],
    [{ CAMS_GRAPH_TIMEOUT_MS: '5' }, /CAMS_GRAPH_TIMEOUT_MS/],
    [{ CAMS_SIMULATOR_HTTP: 'on' }, /CAMS_SIMULATOR_HTTP_TOKEN/],
    [{ CAMS_SIMULATOR_HTTP: '/_admin', CAMS_SIMULATOR_HTTP_TOKEN: TOKEN }, /path prefix/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('mounts the simulator at /_meta for on, or at a given prefix', () => {
    expect(loadConfig({ CAMS_SIMULATOR_HTTP: 'on', CAMS_SIMULATOR_HTTP_TOKEN: TOKEN }).simulatorHttp).toEqual(
      {
        prefix: '/_meta',
        token: TOKEN,
      },
    );
    expect(
      loadConfig({ CAMS_SIMULATOR_HTTP: '/graph/', CAMS_GRAPH_ACCESS_TOKEN: TOKEN }).simulatorHttp,
    ).toEqual({ prefix: '/graph', token: TOKEN });
    expect(loadConfig({ CAMS_SIMULATOR_HTTP: 'off' }).simulatorHttp).toBeUndefined();
  });
});

describe('the HTTP simulator mounted in the CAMS server', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("answers Graph calls under the prefix on the gateway's port, for the spaces' WABAs", async () => {
    s = await startServer({
      CAMS_SIMULATOR_HTTP: 'on',
      CAMS_SIMULATOR_HTTP_TOKEN: TOKEN,
      CAMS_SYNC_INTERVAL_MS: '0',
    });
    const space = (await s.app.spaceRepo.listAll())[0]!;
    const res = await fetch(`http://${s.endpoint}/_meta/v23.0/${space.wabaId}?fields=name`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: space.wabaId, name: 'space one' });
    const denied = await fetch(`http://${s.endpoint}/_meta/v23.0/${space.wabaId}`);
    expect(((await denied.json()) as { error: { code: number } }).error.code).toBe(104);
    // The CAMS gateway still answers everything else.
    const gateway = await fetch(`http://${s.endpoint}/?Action=AddChatappPhoneNumber`);
    expect(gateway.headers.get('x-acs-request-id')).not.toBeNull();
  });
});
