/**
 * IsvGetAppId through the official SDK: the Meta app of Embedded Signup comes from CAMS_META_APP_ID and
 * CAMS_META_CONFIG_ID (docs/configuration.md). Without them the simulator answers its own IDs, marked as
 * such, and a deployment on Meta's Graph API answers a catalogued error instead of made-up IDs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { camsClient, CamsModels, sdkError, startServer, type TestServer } from '../support/server.js';

const TOKEN = 'graph-token-for-tests-0123456789';
const META = { CAMS_META_APP_ID: '123456789012345', CAMS_META_CONFIG_ID: '987654321098765' };
// Meta's API is never called by IsvGetAppId; the mounted simulator only lets the test server make its space.
const GRAPH = {
  CAMS_UPSTREAM: 'graph',
  CAMS_GRAPH_ACCESS_TOKEN: TOKEN,
  CAMS_GRAPH_BASE_URL: 'http://127.0.0.1:9',
  CAMS_SIMULATOR_HTTP: 'on',
  CAMS_SYNC_INTERVAL_MS: '0',
};

let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function isvGetAppId(env: Record<string, string>) {
  s = await startServer(env);
  return camsClient(s, s.root).isvGetAppId(new CamsModels.IsvGetAppIdRequest({ type: 'whatsapp' }));
}

describe('IsvGetAppId', () => {
  it("answers the simulator's own, marked IDs when CAMS_META_* are unset", async () => {
    const res = await isvGetAppId({});
    expect(res.body).toMatchObject({ code: 'OK', appId: 'sim-app-1000000000000001' });
    expect(res.body?.configId).toBe('sim-config-2000000000000002');
  });

  it('answers the configured Meta app with the simulator', async () => {
    const res = await isvGetAppId(META);
    expect(res.body).toMatchObject({ code: 'OK', appId: META.CAMS_META_APP_ID });
    expect(res.body?.configId).toBe(META.CAMS_META_CONFIG_ID);
  });

  it("answers EmbeddedSignup.NotConfigured on Meta's Graph API when CAMS_META_* are unset", async () => {
    const error = await sdkError(isvGetAppId(GRAPH));
    expect(error.code).toBe('EmbeddedSignup.NotConfigured');
    expect(error.statusCode ?? error.data?.statusCode).toBe(400);
    expect(error.message).toContain('no Meta app configured for Embedded Signup');
  });

  it("answers the configured Meta app on Meta's Graph API", async () => {
    const res = await isvGetAppId({ ...GRAPH, ...META });
    expect(res.body).toMatchObject({ code: 'OK', appId: META.CAMS_META_APP_ID });
    expect(res.body?.configId).toBe(META.CAMS_META_CONFIG_ID);
  });
});
