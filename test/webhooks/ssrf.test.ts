/**
 * SSRF protection of callback URLs with the default configuration (loopback, private and link-local
 * receivers not allowed): UpdatePhoneWebhook and UpdateAccountWebhook refuse them with InvalidParameter
 * naming the parameter, and store nothing. Every URL here is an IP literal, `localhost`, or refused
 * before any lookup (scheme, credentials), so no test needs the network or DNS beyond localhost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  camsClient,
  CamsModels,
  sdkError,
  startServer,
  type CamsClient,
  type TestServer,
} from '../support/server.js';
import { unlimited, UUID } from '../wire/helpers.js';

/** URLs the service must never call. */
const REFUSED: ReadonlyArray<readonly [why: string, url: string]> = [
  ['loopback IPv4 with a port', 'http://127.0.0.1:9/x'],
  ['localhost (resolves to loopback)', 'http://localhost/x'],
  ['localhost in capitals, https', 'HTTPS://LOCALHOST:8443/x'],
  ['private 10/8', 'http://10.0.0.1/x'],
  ['private 172.16/12', 'http://172.16.5.4/x'],
  ['private 192.168/16', 'https://192.168.1.1/x'],
  ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data'],
  ['loopback IPv6', 'http://[::1]/x'],
  ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/x'],
  ['unique-local IPv6', 'http://[fd00::1]/x'],
  ['link-local IPv6', 'http://[fe80::1]/x'],
  ['unspecified 0.0.0.0', 'http://0.0.0.0/x'],
  ['carrier-grade NAT', 'http://100.64.0.1/x'],
  ['loopback in decimal form', 'http://2130706433/x'],
  ['loopback in short form', 'http://127.1/x'],
  ['loopback in hex form', 'http://0x7f.0.0.1/x'],
  ['ftp scheme', 'ftp://example.com'],
  ['file scheme', 'file:///etc/passwd'],
  ['credentials in the URL', 'http://user:pass@example.com'],
  ['not a URL', 'not a url'],
  ['private, with a token in the query', 'http://10.1.2.3/x?token=s3cr3t'],
];

/** A public address literal: accepted without a lookup, and never called (nothing changes state here). */
const OLD_URL = 'https://93.184.216.34/hooks/status';
const OLD_UP_URL = 'https://93.184.216.34/hooks/inbound';

let s: TestServer;
let c: CamsClient;
let space: string;
const phoneNumber = '8613800137500';

beforeAll(async () => {
  // Default webhook policy. The reconciler is off so no event could ever be sent anywhere; flow control
  // is off because each URL is tried several times in quick succession.
  s = await startServer({ CAMS_SYNC_INTERVAL_MS: '0' }, { limiter: unlimited });
  expect(s.app.config.webhooks).toMatchObject({ allowLoopback: false, allowPrivate: false });
  c = camsClient(s, s.root);
  space = s.root.custSpaceId;
  await c.addChatappPhoneNumber(
    new CamsModels.AddChatappPhoneNumberRequest({
      custSpaceId: space,
      cc: '86',
      phoneNumber: phoneNumber.slice(2),
      verifiedName: 'Alibaba Cloud',
    }),
  );
  const set = await c.updatePhoneWebhook(
    new CamsModels.UpdatePhoneWebhookRequest({
      custSpaceId: space,
      phoneNumber,
      statusCallbackUrl: OLD_URL,
      upCallbackUrl: OLD_UP_URL,
    }),
  );
  expect(set.body?.code).toBe('OK');
  const account = await c.updateAccountWebhook(
    new CamsModels.UpdateAccountWebhookRequest({ custSpaceId: space, statusCallbackUrl: OLD_URL }),
  );
  expect(account.body?.code).toBe('OK');
});
afterAll(() => s.close());

async function numberUrls() {
  const res = await c.queryChatappPhoneNumbers(
    new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: space }),
  );
  const n = res.body?.phoneNumbers?.find((p) => p.phoneNumber === phoneNumber);
  return { status: n?.statusCallbackUrl, up: n?.upCallbackUrl };
}

/** The space's UpdateAccountWebhook URL as stored (no CAMS action reads it back). */
async function spaceUrl(): Promise<string | undefined> {
  return (await s.app.spaceRepo.get(s.root.accountId, space))?.statusCallbackUrl;
}

async function expectRefused(call: Promise<unknown>, parameter: string, url: string): Promise<void> {
  const err = await sdkError(call);
  expect(err.code).toBe('InvalidParameter');
  expect(err.data?.statusCode).toBe(400);
  expect(err.data?.RequestId).toMatch(UUID);
  const message = String(err.data?.Message);
  expect(message).toContain(parameter);
  // The refusal never echoes credentials.
  if (url.includes('@')) expect(message).not.toMatch(/user:|:pass|pass@/);
  expect(message).not.toContain('s3cr3t');
}

describe('callback URLs refused by default (SSRF)', () => {
  it.each(REFUSED)('UpdatePhoneWebhook StatusCallbackUrl: %s (%s)', async (_why, url) => {
    await expectRefused(
      c.updatePhoneWebhook(
        new CamsModels.UpdatePhoneWebhookRequest({ custSpaceId: space, phoneNumber, statusCallbackUrl: url }),
      ),
      'StatusCallbackUrl',
      url,
    );
    expect(await numberUrls()).toEqual({ status: OLD_URL, up: OLD_UP_URL });
  });

  it.each(REFUSED)('UpdatePhoneWebhook UpCallbackUrl: %s (%s)', async (_why, url) => {
    await expectRefused(
      c.updatePhoneWebhook(
        new CamsModels.UpdatePhoneWebhookRequest({ custSpaceId: space, phoneNumber, upCallbackUrl: url }),
      ),
      'UpCallbackUrl',
      url,
    );
    expect(await numberUrls()).toEqual({ status: OLD_URL, up: OLD_UP_URL });
  });

  it.each(REFUSED)('UpdateAccountWebhook StatusCallbackUrl: %s (%s)', async (_why, url) => {
    await expectRefused(
      c.updateAccountWebhook(
        new CamsModels.UpdateAccountWebhookRequest({ custSpaceId: space, statusCallbackUrl: url }),
      ),
      'StatusCallbackUrl',
      url,
    );
    expect(await spaceUrl()).toBe(OLD_URL);
  });

  it('a good StatusCallbackUrl with a refused UpCallbackUrl stores neither', async () => {
    await expectRefused(
      c.updatePhoneWebhook(
        new CamsModels.UpdatePhoneWebhookRequest({
          custSpaceId: space,
          phoneNumber,
          statusCallbackUrl: 'https://93.184.216.35/new',
          upCallbackUrl: 'http://169.254.169.254/latest/meta-data',
          httpFlag: 'N',
        }),
      ),
      'UpCallbackUrl',
      '',
    );
    expect(await numberUrls()).toEqual({ status: OLD_URL, up: OLD_UP_URL });
  });

  it('the refusal says why, so the customer can act on it', async () => {
    const err = await sdkError(
      c.updatePhoneWebhook(
        new CamsModels.UpdatePhoneWebhookRequest({
          custSpaceId: space,
          phoneNumber,
          statusCallbackUrl: 'http://169.254.169.254/latest/meta-data',
        }),
      ),
    );
    expect(String(err.data?.Message)).toMatch(/link-local/);
  });

  it('a public address literal is still accepted (the check is not a blanket refusal)', async () => {
    const url = 'https://93.184.216.36/hooks/other';
    const res = await c.updatePhoneWebhook(
      new CamsModels.UpdatePhoneWebhookRequest({ custSpaceId: space, phoneNumber, statusCallbackUrl: url }),
    );
    expect(res.body?.code).toBe('OK');
    expect((await numberUrls()).status).toBe(url);
    await c.updatePhoneWebhook(
      new CamsModels.UpdatePhoneWebhookRequest({
        custSpaceId: space,
        phoneNumber,
        statusCallbackUrl: OLD_URL,
      }),
    );
    expect((await numberUrls()).status).toBe(OLD_URL);
  });
});
