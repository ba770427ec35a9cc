/** Gateway routing errors: unknown Action, wrong Version, other paths, other methods, body size. */
import * as OpenApi from '@alicloud/openapi-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, popClient, sdkError, startServer, type TestServer } from '../support/server.js';
import {
  addParams,
  addRequest,
  expectJsonError,
  expectPopError,
  expectSdkError,
  phoneRows,
  phoneSequence,
  popClientWithVersion,
  popError,
  signedV1,
} from './helpers.js';

let s: TestServer;
const phone = phoneSequence(250);
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

/** The V3 SDK's generic call, for actions and versions the generated client has no method for. */
function callApi(action: string, version = '2020-06-06') {
  const client = camsClient(s, s.root);
  return client.callApi(
    new OpenApi.Params({
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
    new OpenApi.OpenApiRequest({ body: addParams(s.root.custSpaceId, phone()) }),
    {} as never,
  );
}

describe('routing', () => {
  it('unknown Action through pop-core: InvalidApi.NotFound, parsed as JSON', async () => {
    const err = await popError(popClient(s, s.root).request('NoSuchAction', {}));
    expectPopError(
      err,
      'InvalidApi.NotFound',
      /^Specified api is not found, please check your url and method\./,
    );
    expect(err.data.HostId).toBe('127.0.0.1');
  });

  it('unknown Action through the V3 SDK: InvalidApi.NotFound with HTTP 404', async () => {
    const before = await phoneRows(s);
    const err = await sdkError(callApi('NoSuchAction'));
    expectSdkError(err, 'InvalidApi.NotFound', 404);
    expect(await phoneRows(s)).toEqual(before);
  });

  it('wrong Version through pop-core: InvalidVersion', async () => {
    const err = await popError(
      popClientWithVersion(s, s.root, '2019-01-01').request(
        'AddChatappPhoneNumber',
        addParams(s.root.custSpaceId, phone()),
      ),
    );
    expectPopError(err, 'InvalidVersion', /Version/);
  });

  it('wrong Version through the V3 SDK: InvalidVersion with HTTP 400', async () => {
    const before = await phoneRows(s);
    const err = await sdkError(callApi('AddChatappPhoneNumber', '2019-01-01'));
    expectSdkError(err, 'InvalidVersion', 400, /Version/);
    expect(await phoneRows(s)).toEqual(before);
  });

  it.each(['/foo', '/index.html', '//'])('path %s: a JSON 404, no HTML', async (path) => {
    const res = await fetch(`http://${s.endpoint}${path}?Action=AddChatappPhoneNumber&Version=2020-06-06`);
    const body = await expectJsonError(res, 'InvalidApi.NotFound', 404);
    expect(body.Message).toBe('Specified api is not found, please check your url and method.');
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('%s: UnsupportedHTTPMethod', async (method) => {
    const { url } = signedV1(s, s.root, 'AddChatappPhoneNumber', addParams(s.root.custSpaceId, phone()));
    const body = await expectJsonError(await fetch(url, { method }), 'UnsupportedHTTPMethod', 400);
    expect(body.Message).toBe('This http method not supported.');
  });
});

describe('body size', () => {
  it('a body over the limit: 413 RequestEntity.TooLarge as JSON, nothing added', async () => {
    const before = await phoneRows(s);
    const err = await sdkError(
      camsClient(s, s.root).addChatappPhoneNumber(
        addRequest(s.root.custSpaceId, phone(), { verifiedName: 'x'.repeat(70 * 1024) }),
      ),
    );
    expectSdkError(err, 'RequestEntity.TooLarge', 413);
    expect(await phoneRows(s)).toEqual(before);
  });
});
