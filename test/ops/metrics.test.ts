/**
 * GET /metrics of a running server, read as Prometheus reads it: who may read it (operator token, a
 * separate address, off), and that what the official SDK does shows up in the counts, with labels of
 * bounded cardinality.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { phoneSequence, ramUser } from '../wire/helpers.js';
import { eventually } from '../webhooks/receiver.js';
import { camsClient, CamsModels, sdkError, startServer, type TestServer } from '../support/server.js';

const TOKEN = 'metrics-test-operator-token';
let s: TestServer | undefined;
let receiverServer: Server | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
  await new Promise<void>((resolve) => (receiverServer ? receiverServer.close(() => resolve()) : resolve()));
  receiverServer = undefined;
});

async function scrape(base: string, token: string | undefined = TOKEN) {
  const res = await fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one sample of the exposition text; undefined when there is no such line. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('/metrics on the API port', () => {
  it('needs the operator token, compared exactly; without a configured token it does not exist', async () => {
    s = await startServer({ CAMS_OPERATOR_TOKEN: TOKEN });
    const base = `http://${s.endpoint}`;
    const anonymous = await scrape(base, '');
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ Code: 'Unauthorized' });
    expect((await scrape(base, `${TOKEN}x`)).status).toBe(401);
    expect((await scrape(base, TOKEN.slice(0, -1))).status).toBe(401);
    const ok = await scrape(base);
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      (await fetch(`${base}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } }))
        .status,
    ).toBe(405);
    await s.close();

    s = await startServer();
    const off = await scrape(`http://${s.endpoint}`);
    expect(off.status).toBe(404);
    expect(JSON.parse(off.text).Message).toMatch(/CAMS_OPERATOR_TOKEN.*CAMS_METRICS_LISTEN/);
  });

  it('counts what the SDK did: requests by action, Code and status; denials; signature failures; upstream calls', async () => {
    s = await startServer({ CAMS_OPERATOR_TOKEN: TOKEN });
    const base = `http://${s.endpoint}`;
    const root = camsClient(s, s.root);
    const next = phoneSequence(500);
    const add = (client = root) =>
      client.addChatappPhoneNumber(
        new CamsModels.AddChatappPhoneNumberRequest({
          custSpaceId: s!.root.custSpaceId,
          cc: '86',
          phoneNumber: next(),
          verifiedName: 'Metrics Shop',
        }),
      );
    for (let i = 0; i < 3; i++) expect((await add()).body?.code).toBe('OK');
    const reader = await ramUser(s, s.root.accountId, 'reader', ['AliyunCamsReadOnlyAccess']);
    expect((await sdkError(add(camsClient(s, reader)))).code).toBe('Ram.PermissionDeny');
    const forger = camsClient(s, { ...s.root, accessKeySecret: 'not-the-secret' });
    expect((await sdkError(add(forger))).code).toBe('SignatureDoesNotMatch');
    // Names the gateway does not implement are one label value, whatever the caller sends.
    for (const name of ['NoSuchAction1', 'NoSuchAction2'])
      await fetch(`${base}/?Action=${name}&Version=2020-06-06&Format=JSON`);

    const { text } = await scrape(base);
    const requests = (labels: Record<string, string>) => sample(text, 'cams_requests_total', labels);
    expect(requests({ action: 'AddChatappPhoneNumber', code: 'OK', status: '200' })).toBe(3);
    expect(requests({ action: 'AddChatappPhoneNumber', code: 'Ram.PermissionDeny', status: '400' })).toBe(1);
    expect(requests({ action: 'AddChatappPhoneNumber', code: 'SignatureDoesNotMatch' })).toBe(1);
    expect(text).not.toContain('NoSuchAction');
    expect(sample(text, 'cams_requests_total', { action: 'unknown' })).toBe(2);
    expect(sample(text, 'cams_ram_denials_total', { action: 'AddChatappPhoneNumber' })).toBe(1);
    expect(sample(text, 'cams_authentication_failures_total', { code: 'SignatureDoesNotMatch' })).toBe(1);
    expect(sample(text, 'cams_request_duration_seconds_count', { action: 'AddChatappPhoneNumber' })).toBe(5);
    // Three Adds reached the simulator; the refused ones did not.
    expect(sample(text, 'cams_upstream_calls_total', { operation: 'createPhoneNumber', outcome: 'ok' })).toBe(
      3,
    );
    expect(
      sample(text, 'cams_upstream_call_duration_seconds_count', { operation: 'createPhoneNumber' }),
    ).toBe(3);
    // Every answered Add waited for its commit; the serving SQLite handle fsyncs its WAL.
    expect(sample(text, 'cams_store_commit_wait_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'cams_store_fsync_duration_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'cams_reconciler_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'cams_webhook_backlog', { status: 'pending' })).toBe(0);
    // prom-client's default process metrics, event-loop lag included.
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts flow-control rejections, one per System.LimitControl answer', async () => {
    s = await startServer({ CAMS_OPERATOR_TOKEN: TOKEN });
    const root = camsClient(s, s.root);
    const query = () =>
      root.queryChatappPhoneNumbers(
        new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s!.root.custSpaceId }),
      );
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, query));
    const refused = outcomes.filter(
      (o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'System.LimitControl',
    ).length;
    expect(refused).toBeGreaterThan(0);
    const { text } = await scrape(`http://${s.endpoint}`);
    expect(sample(text, 'cams_flow_control_rejections_total', { action: 'QueryChatappPhoneNumbers' })).toBe(
      refused,
    );
    expect(
      sample(text, 'cams_requests_total', { action: 'QueryChatappPhoneNumbers', code: 'OK', status: '200' }),
    ).toBe(60 - refused);
  });

  it('counts webhook attempts by outcome and shows the backlog while an event waits', async () => {
    let answers = 0;
    receiverServer = createServer((req, res) => {
      req.resume();
      res.writeHead(answers++ === 0 ? 500 : 200).end();
    });
    await new Promise<void>((resolve) => receiverServer!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiverServer.address() as AddressInfo).port}/hook`;
    s = await startServer(
      { CAMS_OPERATOR_TOKEN: TOKEN, CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true' },
      { webhookOptions: { backoffBaseMs: 300, jitterRatio: 0, pollIntervalMs: 50 } },
    );
    const base = `http://${s.endpoint}`;
    await s.app.webhooks.enqueue(s.root.accountId, { url, type: 'PhoneNumberStatus', data: { Status: 'X' } });
    // The first attempt fails; the event then waits for its retry.
    await eventually(async () => {
      const { text } = await scrape(base);
      expect(sample(text, 'cams_webhook_attempts_total', { outcome: 'retry' })).toBe(1);
      expect(sample(text, 'cams_webhook_backlog', { status: 'pending' })).toBe(1);
    });
    await eventually(async () => {
      const { text } = await scrape(base);
      expect(sample(text, 'cams_webhook_attempts_total', { outcome: 'delivered' })).toBe(1);
      expect(sample(text, 'cams_webhook_backlog', { status: 'pending' })).toBe(0);
      expect(sample(text, 'cams_webhook_attempt_duration_seconds_count')).toBe(2);
    });
  });
});

describe('/metrics elsewhere', () => {
  it('CAMS_METRICS_LISTEN serves it on its own address without a token, and not on the API port', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    s = await startServer({ CAMS_OPERATOR_TOKEN: TOKEN, CAMS_METRICS_LISTEN: `127.0.0.1:${port}` });
    const separate = await scrape(`http://127.0.0.1:${port}`, undefined);
    expect(separate.status).toBe(200);
    expect(separate.text).toContain('cams_requests_total');
    const onApiPort = await scrape(`http://${s.endpoint}`);
    expect(onApiPort.status).toBe(404);
    expect(JSON.parse(onApiPort.text).Message).toMatch(/CAMS_METRICS_LISTEN/);
    // Nothing else is served there.
    expect((await fetch(`http://127.0.0.1:${port}/?Action=QueryChatappPhoneNumbers`)).status).toBe(404);
    await s.close();
    s = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('CAMS_METRICS=false: no endpoint, and the SDK traffic is served as before', async () => {
    s = await startServer({ CAMS_OPERATOR_TOKEN: TOKEN, CAMS_METRICS: 'false' });
    expect(s.app.metrics).toBeUndefined();
    const off = await scrape(`http://${s.endpoint}`);
    expect(off.status).toBe(404);
    expect(JSON.parse(off.text).Message).toMatch(/CAMS_METRICS=false/);
    const { body } = await camsClient(s, s.root).queryChatappPhoneNumbers(
      new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
    );
    expect(body?.code).toBe('OK');
  });
});
