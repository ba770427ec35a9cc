/**
 * Products on one endpoint: the gateway routes by Action and Version (actions/products.ts). RAM's
 * 2015-05-01 through its official SDK, CAMS's 2020-06-06 unchanged, and an Action of one product under
 * another's Version answered InvalidVersion, as before.
 */
import * as OpenApi from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, CamsModels, startServer, type TestServer } from '../support/server.js';
import { expectRamError, ramClient, ramError, type Signature } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => s?.close());

/** The RAM client's generic call, for an Action and Version of our choosing. */
function rawRamCall(action: string, version: string) {
  const client = ramClient(s, s.root);
  return client.callApi(
    new OpenApi.$OpenApiUtil.Params({
      action,
      version,
      protocol: 'HTTP',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    }),
    new OpenApi.$OpenApiUtil.OpenApiRequest({ query: {} }),
    new $dara.RuntimeOptions({}),
  );
}

describe.each<Signature>(['V3', 'V1'])('routing by Version (%s)', (signature) => {
  it('a RAM action this service does not implement: Action.NotImplemented naming RAM 2015-05-01', async () => {
    const err = await ramError(ramClient(s, s.root, signature).getAccountAlias());
    expectRamError(err, 'Action.NotImplemented', 501, /RAM 2015-05-01/);
  });
});

describe('an Action under the wrong Version', () => {
  it('a CAMS action under RAM 2015-05-01: InvalidVersion naming 2020-06-06', async () => {
    const err = await ramError(rawRamCall('QueryChatappBindWaba', '2015-05-01'));
    expectRamError(err, 'InvalidVersion', 400, /QueryChatappBindWaba is an action of 2020-06-06/);
  });

  it('a RAM action under CAMS 2020-06-06: InvalidVersion naming 2015-05-01', async () => {
    const err = await ramError(rawRamCall('CreateUser', '2020-06-06'));
    expectRamError(err, 'InvalidVersion', 400, /CreateUser is an action of 2015-05-01/);
  });

  it('an unknown Version: InvalidVersion listing the three products', async () => {
    const err = await ramError(rawRamCall('NoSuchAction', '2019-01-01'));
    expectRamError(err, 'InvalidVersion', 400, /2020-06-06, 2015-05-01, 2015-04-01/);
    const owned = await ramError(rawRamCall('CreateUser', '2019-01-01'));
    expectRamError(owned, 'InvalidVersion', 400, /CreateUser is an action of 2015-05-01/);
  });

  it('an action no product has, under a known Version: InvalidApi.NotFound', async () => {
    const err = await ramError(rawRamCall('NoSuchAction', '2015-05-01'));
    expectRamError(err, 'InvalidApi.NotFound', 404);
  });

  it('an STS action not implemented here: Action.NotImplemented naming STS 2015-04-01', async () => {
    const err = await ramError(rawRamCall('AssumeRoleWithSAML', '2015-04-01'));
    expectRamError(err, 'Action.NotImplemented', 501, /STS 2015-04-01/);
  });

  it('CAMS keeps its envelope (Code) on the same endpoint', async () => {
    const res = await camsClient(s, s.root).queryChatappBindWaba(
      new CamsModels.QueryChatappBindWabaRequest({ custSpaceId: s.root.custSpaceId }),
    );
    expect({ code: res.body?.code, requestId: typeof res.body?.requestId }).toEqual({
      code: 'OK',
      requestId: 'string',
    });
  });
});
