/**
 * Every CAMS 2020-06-06 action this service does not implement (CAMS_ACTIONS minus ACTIONS) answers
 * Action.NotImplemented: HTTP 501, a JSON error body the official clients parse, never HTML and never a
 * bare 404. A name that is no CAMS action at all answers InvalidApi.NotFound (404).
 */
import * as OpenApi from '@alicloud/openapi-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMS_ACTIONS } from '../../src/actions/cams-actions.js';
import { ACTIONS } from '../../src/actions/index.js';
import {
  camsClient,
  CamsModels,
  popClient,
  sdkError,
  startServer,
  type CamsClient,
  type SdkError,
  type TestServer,
} from '../support/server.js';
import { expectJsonError, expectPopError, expectSdkError, phoneRows, popError, signedV1 } from './helpers.js';

const NOT_IMPLEMENTED = CAMS_ACTIONS.filter((name) => !ACTIONS.has(name));
const NOT_CAMS = ['NoSuchAction', 'DescribeInstances', 'SendSms', 'AddChatappPhoneNumbers'];

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ CAMS_SYNC_INTERVAL_MS: '0' });
});
afterAll(() => s.close());

/** The V3 SDK's generic call (openapi-client callApi), for any action name. */
function callApi(action: string, body: Record<string, string> = {}) {
  return camsClient(s, s.root).callApi(
    new OpenApi.Params({
      action,
      version: '2020-06-06',
      protocol: 'HTTP',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    }),
    new OpenApi.OpenApiRequest({ body: { CustSpaceId: s.root.custSpaceId, ...body } }),
    {} as never,
  );
}

function expectNotImplemented(err: SdkError, action: string): void {
  expectSdkError(err, 'Action.NotImplemented', 501);
  expect(String(err.data?.Message)).toContain(action);
  expect(err.message).toContain('Action.NotImplemented');
}

describe('CAMS actions this service does not implement', () => {
  it('are exactly the CAMS actions outside ACTIONS (every implemented action is a CAMS action)', () => {
    for (const name of ACTIONS.keys()) expect(CAMS_ACTIONS).toContain(name);
    expect(NOT_IMPLEMENTED.length).toBe(CAMS_ACTIONS.length - ACTIONS.size);
    expect(NOT_IMPLEMENTED).toContain('SendChatappMessage');
    expect(new Set(CAMS_ACTIONS).size).toBe(CAMS_ACTIONS.length);
  });

  it.each(NOT_IMPLEMENTED)('%s: pop-core (V1 GET) parses Action.NotImplemented', async (action) => {
    const err = await popError(popClient(s, s.root).request(action, { CustSpaceId: s.root.custSpaceId }));
    expectPopError(err, 'Action.NotImplemented');
    expect(String(err.data.Message)).toContain(action);
  });

  it.each(NOT_IMPLEMENTED)('%s: pop-core (V1 POST) parses Action.NotImplemented', async (action) => {
    const err = await popError(
      popClient(s, s.root).request(action, { CustSpaceId: s.root.custSpaceId }, { method: 'POST' }),
    );
    expectPopError(err, 'Action.NotImplemented');
  });

  it.each(NOT_IMPLEMENTED)(
    '%s: the V3 SDK generic call sees HTTP 501 Action.NotImplemented',
    async (action) => {
      expectNotImplemented(await sdkError(callApi(action)), action);
    },
  );

  it.each(NOT_IMPLEMENTED)('%s: the raw answer is a JSON 501, never HTML', async (action) => {
    const { url, init } = signedV1(s, s.root, action, { CustSpaceId: s.root.custSpaceId });
    const body = await expectJsonError(await fetch(url, init), 'Action.NotImplemented', 501);
    expect(String(body.Message)).toContain(action);
  });

  describe("through the generated client's own methods", () => {
    const calls: ReadonlyArray<readonly [string, (c: CamsClient, space: string) => Promise<unknown>]> = [
      [
        'SendChatappMessage',
        (c, custSpaceId) =>
          c.sendChatappMessage(
            new CamsModels.SendChatappMessageRequest({
              custSpaceId,
              channelType: 'whatsapp',
              type: 'message',
              messageType: 'text',
              from: '8613800138000',
              to: '8613900139000',
              content: JSON.stringify({ text: 'hello' }),
            }),
          ),
      ],
      [
        'ListChatappTemplate',
        (c, custSpaceId) =>
          c.listChatappTemplate(
            new CamsModels.ListChatappTemplateRequest({
              custSpaceId,
              page: new CamsModels.ListChatappTemplateRequestPage({ index: 1, size: 10 }),
            }),
          ),
      ],
      [
        'CreateFlow',
        (c, custSpaceId) =>
          c.createFlow(
            new CamsModels.CreateFlowRequest({ custSpaceId, flowName: 'survey', categories: ['SURVEY'] }),
          ),
      ],
      [
        'GetChatappTemplateDetail',
        (c, custSpaceId) =>
          c.getChatappTemplateDetail(
            new CamsModels.GetChatappTemplateDetailRequest({
              custSpaceId,
              templateCode: '744c4b5c79c9432497a075bdfca3****',
              language: 'en',
            }),
          ),
      ],
      [
        'EnableWhatsappROIMetric',
        (c, custSpaceId) =>
          c.enableWhatsappROIMetric(new CamsModels.EnableWhatsappROIMetricRequest({ custSpaceId })),
      ],
      [
        'QueryWabaBusinessInfo',
        (c, custSpaceId) =>
          c.queryWabaBusinessInfo(
            new CamsModels.QueryWabaBusinessInfoRequest({ custSpaceId, wabaId: '1234' }),
          ),
      ],
    ];

    it('the sample covers only not-implemented actions', () => {
      for (const [action] of calls) expect(NOT_IMPLEMENTED).toContain(action);
    });

    it.each(calls)('%s (V3 signature)', async (action, call) => {
      const before = await phoneRows(s);
      expectNotImplemented(await sdkError(call(camsClient(s, s.root), s.root.custSpaceId)), action);
      expect(await phoneRows(s)).toEqual(before);
    });

    it.each(calls)('%s (V1 signature, signatureAlgorithm v2)', async (action, call) => {
      expectNotImplemented(await sdkError(call(camsClient(s, s.root, 'v2'), s.root.custSpaceId)), action);
    });
  });

  it('V1 with Format=XML answers the same error as XML the SDKs can read', async () => {
    const { url, init } = signedV1(s, s.root, 'SendChatappMessage', {}, { Format: 'XML' });
    const res = await fetch(url, init);
    expect(res.status).toBe(501);
    expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    const text = await res.text();
    expect(text).not.toMatch(/<html/i);
    expect(text).toMatch(/<Error>[\s\S]*<Code>Action\.NotImplemented<\/Code>[\s\S]*<\/Error>/);
  });
});

describe('names that are not CAMS actions', () => {
  it.each(NOT_CAMS)('%s: InvalidApi.NotFound through pop-core', async (action) => {
    const err = await popError(popClient(s, s.root).request(action, {}));
    expectPopError(
      err,
      'InvalidApi.NotFound',
      /^Specified api is not found, please check your url and method\./,
    );
  });

  it.each(NOT_CAMS)('%s: InvalidApi.NotFound with HTTP 404 through the V3 SDK', async (action) => {
    const err = await sdkError(callApi(action));
    expectSdkError(err, 'InvalidApi.NotFound', 404);
  });

  it.each(NOT_CAMS)('%s: the raw answer is a JSON 404, never HTML', async (action) => {
    const { url, init } = signedV1(s, s.root, action, {});
    await expectJsonError(await fetch(url, init), 'InvalidApi.NotFound', 404);
  });
});
