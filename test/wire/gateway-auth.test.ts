/** Gateway authentication errors: signature, access key, replay (nonce), timestamp, missing signature. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { camsClient, popClient, sdkError, startServer, type TestServer } from '../support/server.js';
import {
  addParams,
  addRequest,
  expectJsonError,
  expectPopError,
  expectSdkError,
  otherAccount,
  phoneRows,
  phoneSequence,
  popError,
  recordingRelay,
  signedV1,
} from './helpers.js';

let s: TestServer;
const phone = phoneSequence(200);
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());
afterEach(() => {
  s.clock.offsetMs = 0;
});

const SIGNATURE_MISMATCH = 'Specified signature is not matched with our calculation.';

describe('signature and access key', () => {
  const wrong = () => ({ accessKeyId: s.root.accessKeyId, accessKeySecret: `${s.root.accessKeySecret}x` });

  it('wrong secret, V3: SignatureDoesNotMatch', async () => {
    const before = await phoneRows(s);
    const err = await sdkError(
      camsClient(s, wrong()).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expectSdkError(err, 'SignatureDoesNotMatch', 400, SIGNATURE_MISMATCH);
    expect(await phoneRows(s)).toEqual(before);
  });

  it('wrong secret, V1 openapi-client: SignatureDoesNotMatch', async () => {
    const before = await phoneRows(s);
    const err = await sdkError(
      camsClient(s, wrong(), 'v2').addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expectSdkError(err, 'SignatureDoesNotMatch', 400, SIGNATURE_MISMATCH);
    expect(await phoneRows(s)).toEqual(before);
  });

  it.each(['GET', 'POST'])('wrong secret, pop-core %s: SignatureDoesNotMatch', async (method) => {
    const before = await phoneRows(s);
    const err = await popError(
      popClient(s, wrong()).request('AddChatappPhoneNumber', addParams(s.root.custSpaceId, phone()), {
        method,
      }),
    );
    expectPopError(err, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
    expect(await phoneRows(s)).toEqual(before);
  });

  it('unknown access key: InvalidAccessKeyId.NotFound (404)', async () => {
    const creds = { accessKeyId: 'LTAInosuchkey0000000000', accessKeySecret: 'whatever-secret-0000' };
    const err = await sdkError(
      camsClient(s, creds).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expectSdkError(err, 'InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
  });

  it('disabled access key: InvalidAccessKeyId.Inactive', async () => {
    const key = await s.app.iam.createAccessKey(s.root.accountId);
    await s.app.iam.setAccessKeyStatus(s.root.accountId, key.accessKeyId, 'Inactive');
    const before = await phoneRows(s);
    const err = await sdkError(
      camsClient(s, key).addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
    );
    expectSdkError(err, 'InvalidAccessKeyId.Inactive', 400, 'Specified access key is disabled.');
    expect(await phoneRows(s)).toEqual(before);
  });
});

describe('replay', () => {
  const HOP_BY_HOP = new Set(['host', 'connection', 'transfer-encoding', 'content-length', 'keep-alive']);

  async function replay(
    endpoint: string,
    rec: { method: string; url: string; headers: object; body: Buffer },
  ) {
    const headers = Object.fromEntries(
      Object.entries(rec.headers as Record<string, string>).filter(([k]) => !HOP_BY_HOP.has(k)),
    );
    return fetch(`http://${endpoint}${rec.url}`, {
      method: rec.method,
      headers,
      ...(rec.body.length > 0 ? { body: new Uint8Array(rec.body) } : {}),
    });
  }

  it('a replayed V3 SDK request is refused with SignatureNonceUsed and adds nothing', async () => {
    const relay = await recordingRelay(s);
    try {
      const number = phone();
      const res = await camsClient({ ...s, endpoint: relay.endpoint }, s.root).addChatappPhoneNumber(
        addRequest(s.root.custSpaceId, number),
      );
      expect(res.body?.code).toBe('OK');
      expect(relay.recorded).toHaveLength(1);
      const original = relay.recorded[0]!;
      expect(original.headers['x-acs-signature-nonce']).toBeTruthy();

      const body = await expectJsonError(await replay(relay.endpoint, original), 'SignatureNonceUsed', 400);
      expect(body.Message).toBe('Specified signature nonce was used already.');
      // The relay saw the identical request twice.
      expect(relay.recorded).toHaveLength(2);
      expect(relay.recorded[1]!.url).toBe(original.url);
      expect(relay.recorded[1]!.body.equals(original.body)).toBe(true);
      expect((await phoneRows(s)).filter((r) => r.e164 === `86${number}`)).toHaveLength(1);
    } finally {
      await relay.close();
    }
  });

  it('a replayed pop-core GET request is refused with SignatureNonceUsed', async () => {
    const relay = await recordingRelay(s);
    try {
      const number = phone();
      const ok = (await popClient({ ...s, endpoint: relay.endpoint }, s.root).request(
        'AddChatappPhoneNumber',
        addParams(s.root.custSpaceId, number),
      )) as Record<string, unknown>;
      expect(ok.Code).toBe('OK');
      await expectJsonError(await replay(relay.endpoint, relay.recorded[0]!), 'SignatureNonceUsed', 400);
      expect((await phoneRows(s)).filter((r) => r.e164 === `86${number}`)).toHaveLength(1);
    } finally {
      await relay.close();
    }
  });
});

describe('timestamp', () => {
  it.each([
    ['+16 minutes', 16],
    ['-16 minutes', -16],
  ])('server clock %s away: InvalidTimeStamp.Expired', async (_name, minutes) => {
    const skew = await otherAccount(s, `skew${minutes < 0 ? 'minus' : 'plus'}`);
    s.clock.offsetMs = minutes * 60_000;
    const err = await sdkError(
      camsClient(s, skew).addChatappPhoneNumber(addRequest(skew.custSpaceId, phone())),
    );
    expectSdkError(err, 'InvalidTimeStamp.Expired', 400, 'Specified time stamp or date value is expired.');
    const popErr = await popError(
      popClient(s, skew).request('AddChatappPhoneNumber', addParams(skew.custSpaceId, phone())),
    );
    expectPopError(popErr, 'InvalidTimeStamp.Expired');
    s.clock.offsetMs = 0;
    expect(await phoneRows(s, skew.accountId)).toEqual([]);
  });

  it.each([14, -14])('server clock %i minutes away: still accepted', async (minutes) => {
    const skew = await otherAccount(s, `skewok${minutes < 0 ? 'minus' : 'plus'}`);
    s.clock.offsetMs = minutes * 60_000;
    const res = await camsClient(s, skew).addChatappPhoneNumber(addRequest(skew.custSpaceId, phone()));
    expect(res.body?.code).toBe('OK');
    s.clock.offsetMs = 0;
    expect(await phoneRows(s, skew.accountId)).toHaveLength(1);
  });

  it.each(['2024-01-01 00:00:00', '2024-02-30T00:00:00Z', 'yesterday'])(
    'malformed V1 Timestamp %j: InvalidTimeStamp.Format',
    async (value) => {
      const { url, init } = signedV1(
        s,
        s.root,
        'AddChatappPhoneNumber',
        addParams(s.root.custSpaceId, phone()),
        {
          Timestamp: value,
        },
      );
      const body = await expectJsonError(await fetch(url, init), 'InvalidTimeStamp.Format', 400);
      expect(body.Message).toBe('Specified time stamp or date value is not well formatted.');
    },
  );
});

describe('missing signature', () => {
  it('a V1 request without Signature: MissingSignature', async () => {
    const before = await phoneRows(s);
    const { url } = signedV1(s, s.root, 'AddChatappPhoneNumber', addParams(s.root.custSpaceId, phone()));
    const unsigned = new URL(url);
    unsigned.searchParams.delete('Signature');
    const body = await expectJsonError(await fetch(unsigned), 'MissingSignature', 400);
    expect(body.Message).toBe('Signature is mandatory for this action.');
    expect(await phoneRows(s)).toEqual(before);
  });

  async function strippedV3(authorization?: string): Promise<{ status: number; code: string; text: string }> {
    const relay = await recordingRelay(s);
    try {
      await camsClient({ ...s, endpoint: relay.endpoint }, s.root).queryChatappPhoneNumbers({} as never);
      const original = relay.recorded[0]!;
      expect(original.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 /);
      const headers: Record<string, string> = Object.fromEntries(
        Object.entries(original.headers as Record<string, string>).filter(
          ([k]) =>
            !['host', 'connection', 'transfer-encoding', 'content-length', 'authorization'].includes(k),
        ),
      );
      if (authorization !== undefined) headers.authorization = authorization;
      const res = await fetch(`http://${relay.endpoint}${original.url}`, { method: 'POST', headers });
      const text = await res.text();
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? (JSON.parse(text) as { Code: string }).Code;
      return { status: res.status, code, text };
    } finally {
      await relay.close();
    }
  }

  it('a V3 SDK request stripped of its Authorization header: a missing-credential error, not MissingAction', async () => {
    const { status, code, text } = await strippedV3();
    expect(status).toBe(400);
    // The request names its action (x-acs-action); what it lacks is the signature.
    expect([
      'IncompleteSignature',
      'MissingAuthorization',
      'MissingSignature',
      'MissingAccessKeyId',
    ]).toContain(code);
    expect(text).not.toContain('Action is mandatory');
  });

  it('a V3 request with a malformed Authorization header: IncompleteSignature', async () => {
    const { status, code, text } = await strippedV3('ACS3-HMAC-SHA256 garbage');
    expect(status).toBe(400);
    expect(code).toBe('IncompleteSignature');
    expect(JSON.parse(text)).toMatchObject({
      Message: 'The request signature does not conform to Aliyun standards.',
    });
  });
});
