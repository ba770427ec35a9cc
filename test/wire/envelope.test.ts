/** Response envelopes, the x-acs-request-id header, and request-scoped, secret-free logs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, popClient, sdkError, startServer, type TestServer } from '../support/server.js';
import {
  addParams,
  addRequest,
  phoneSequence,
  popError,
  ramUser,
  signedV1,
  unlimited,
  UUID,
} from './helpers.js';

let s: TestServer;
const phone = phoneSequence(700);
beforeAll(async () => {
  s = await startServer({}, { limiter: unlimited });
});
afterAll(() => s.close());

/** The log lines written while `fn` ran (requests in this file are sequential). */
async function logsOf<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; lines: Array<Record<string, unknown>> }> {
  const from = s.logs.length;
  const result = await fn();
  return { result, lines: s.logs.slice(from) };
}

describe('success envelope', () => {
  it('JSON on the wire: RequestId (UUID), Code OK, Message, Success true, AccessDeniedDetail a string', async () => {
    const body = (await popClient(s, s.root).request(
      'AddChatappPhoneNumber',
      addParams(s.root.custSpaceId, phone()),
    )) as Record<string, unknown>;
    expect(body.RequestId).toMatch(UUID);
    expect(body).toMatchObject({ Code: 'OK', Message: 'OK', Success: true });
    expect(typeof body.AccessDeniedDetail).toBe('string');
  });

  it('the x-acs-request-id header equals the body RequestId (V3 SDK)', async () => {
    const res = await camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone()));
    expect(res.statusCode).toBe(200);
    expect(res.body?.requestId).toMatch(UUID);
    expect(res.headers?.['x-acs-request-id']).toBe(res.body?.requestId);
    expect(res.headers?.['content-type']).toBe('application/json;charset=utf-8');
  });
});

describe('error envelope', () => {
  it('has Code, Message, RequestId, HostId, Recommend (V3 SDK)', async () => {
    const err = await sdkError(
      camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone(), { cc: undefined })),
    );
    expect(err.data).toMatchObject({
      Code: 'MissingCc',
      Message: 'Cc is mandatory for this action.',
      HostId: '127.0.0.1',
      statusCode: 400,
    });
    expect(err.data?.RequestId).toMatch(UUID);
    expect(err.data?.Recommend).toMatch(/^https:\/\/\S+MissingCc/);
    expect(err.message).toContain(String(err.data?.RequestId));
  });

  it('has the same fields through pop-core', async () => {
    const err = await popError(
      popClient(s, s.root).request('AddChatappPhoneNumber', {
        ...addParams(s.root.custSpaceId, phone()),
        Cc: '',
      }),
    );
    expect(Object.keys(err.data).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    expect(err.data.Code).toBe('MissingCc');
  });

  it('the x-acs-request-id header equals the body RequestId', async () => {
    const business = addParams(s.root.custSpaceId, phone());
    delete business.VerifiedName;
    const { url, init } = signedV1(s, s.root, 'AddChatappPhoneNumber', business);
    const res = await fetch(url, init);
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.Code).toBe('MissingVerifiedName');
    expect(body.RequestId).toMatch(UUID);
    expect(res.headers.get('x-acs-request-id')).toBe(body.RequestId);
  });
});

describe('logs', () => {
  it('every log line of a successful request carries its requestId', async () => {
    const { result, lines } = await logsOf(() =>
      camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.requestId).toBe(result.body?.requestId);
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({
      action: 'AddChatappPhoneNumber',
      status: 200,
      code: 'OK',
      accountId: s.root.accountId,
      accessKeyId: s.root.accessKeyId,
    });
  });

  it("the access line of a refused request carries the error's Code", async () => {
    const { result: err, lines } = await logsOf(() =>
      sdkError(camsClient(s, s.root).addChatappPhoneNumber(addRequest('cams-nosuchspace', phone()))),
    );
    expect(err.code).toBe('Unknown.ResourceOwnerId');
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({
      action: 'AddChatappPhoneNumber',
      status: 400,
      code: 'Unknown.ResourceOwnerId',
      accessKeyId: s.root.accessKeyId,
    });
  });

  it('every log line of a RAM denial carries its requestId', async () => {
    const user = await ramUser(s, s.root.accountId, 'lognopolicies', []);
    const { result: err, lines } = await logsOf(() =>
      sdkError(camsClient(s, user).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone()))),
    );
    expect(err.code).toBe('Ram.PermissionDeny');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line.requestId).toBe(err.data?.RequestId);
  });

  it('every log line of an unauthenticated request carries its requestId', async () => {
    const wrong = { accessKeyId: s.root.accessKeyId, accessKeySecret: 'wrong-secret-0000000000' };
    const { result: err, lines } = await logsOf(() =>
      sdkError(camsClient(s, wrong).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone()))),
    );
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.requestId).toBe(err.data?.RequestId);
  });

  it('no log line contains an access key secret', async () => {
    const user = await ramUser(s, s.root.accountId, 'logfull', ['AliyunCamsFullAccess']);
    const from = s.logs.length;
    await camsClient(s, s.root).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone()));
    await camsClient(s, s.root, 'v2').addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone()));
    await popClient(s, user).request('AddChatappPhoneNumber', addParams(s.root.custSpaceId, phone()), {
      method: 'POST',
    });
    await sdkError(camsClient(s, user).addChatappPhoneNumber(addRequest('cams-nosuchspace', phone())));
    expect(s.logs.length - from).toBeGreaterThanOrEqual(4);
    const all = JSON.stringify(s.logs);
    expect(all).toContain(user.accessKeyId);
    expect(all).not.toContain(s.root.accessKeySecret);
    expect(all).not.toContain(user.accessKeySecret);
  });
});
