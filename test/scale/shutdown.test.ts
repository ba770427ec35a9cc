/**
 * `cams serve` stopped with SIGTERM while requests are in flight: it stops accepting, every request it
 * had taken gets its answer, its writes are kept, and the process exits 0 within the deadline.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest, timestamp } from '../../bench/lib/sign.mjs';
import { camsClient, CamsModels } from '../support/server.js';
import { buildServer, startInstance } from './processes.js';

const DEMO = {
  CAMS_DEMO: 'true',
  CAMS_DEMO_ACCOUNT_ID: '1234567890123456',
  CAMS_DEMO_ACCESS_KEY_ID: 'LTAIshutdowntest0001',
  CAMS_DEMO_ACCESS_KEY_SECRET: 'shutdown-test-secret-0123456789ab',
  CAMS_DEMO_CUST_SPACE_ID: 'cams-shutdown',
};
const key = { accessKeyId: DEMO.CAMS_DEMO_ACCESS_KEY_ID, accessKeySecret: DEMO.CAMS_DEMO_ACCESS_KEY_SECRET };

let build: ReturnType<typeof buildServer>;
let dataDir: string;
beforeAll(() => {
  build = buildServer();
  dataDir = mkdtempSync(path.join(tmpdir(), 'cams-shutdown-'));
});
afterAll(() => {
  build.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An Add whose body is written in two halves: the second only when `finish` is called. */
function slowAdd(port: number, national: string) {
  const r = signedRequest({
    host: `127.0.0.1:${port}`,
    action: 'AddChatappPhoneNumber',
    body: {
      CustSpaceId: DEMO.CAMS_DEMO_CUST_SPACE_ID,
      Cc: '86',
      PhoneNumber: national,
      VerifiedName: 'Drain Co',
    },
    key,
    nonce: `${national}-${Date.now()}`,
    date: timestamp(),
  });
  const body = Buffer.from(r.body);
  const headers = { ...r.headers, 'content-length': String(body.length) };
  const slow = {
    answer: undefined as unknown as Promise<{ status: number; code: string }>,
    finish: () => {},
  };
  slow.answer = new Promise<{ status: number; code: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { Code: string }).Code }),
      );
    });
    req.on('error', reject);
    req.write(body.subarray(0, 10));
    slow.finish = () => req.end(body.subarray(10));
  });
  return slow;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cams serve on SIGTERM', () => {
  it('answers the requests in flight, keeps their writes, refuses new connections, exits 0', async () => {
    const instance = await startInstance(build.dir, { ...DEMO, CAMS_DATA_DIR: dataDir });
    // Not a terminal: standard output is JSON lines only, and the demo secret is not among them.
    expect(
      instance
        .stdout()
        .trim()
        .split('\n')
        .every((line) => line.startsWith('{')),
    ).toBe(true);
    expect(instance.stdout()).not.toContain(DEMO.CAMS_DEMO_ACCESS_KEY_SECRET);
    expect(instance.logs.find((l) => String(l.msg).startsWith('first start'))).toMatchObject({
      accessKeyId: DEMO.CAMS_DEMO_ACCESS_KEY_ID,
      custSpaceId: DEMO.CAMS_DEMO_CUST_SPACE_ID,
    });
    const numbers = ['13800138201', '13800138202', '13800138203'];
    const inFlight = numbers.map((n) => slowAdd(instance.port, n));
    await sleep(300); // the server has taken the requests and waits for the rest of their bodies
    const exit = instance.signal('SIGTERM');
    await sleep(300);
    const refused = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: instance.port, path: '/healthz' }, () =>
        resolve('answered'),
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.end();
    });
    expect(refused).toBe('ECONNREFUSED');
    for (const r of inFlight) r.finish();
    const answers = await Promise.all(inFlight.map((r) => r.answer));
    expect(answers).toEqual(numbers.map(() => ({ status: 200, code: 'OK' })));
    const started = Date.now();
    expect(await exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(instance.logs.some((l) => String(l.msg).startsWith('shutting down'))).toBe(true);

    // The same data directory, served again: the three numbers are there.
    const again = await startInstance(build.dir, { ...DEMO, CAMS_DATA_DIR: dataDir });
    try {
      const client = camsClient({ endpoint: again.endpoint } as never, key);
      const { body } = await client.queryChatappPhoneNumbers(
        new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: DEMO.CAMS_DEMO_CUST_SPACE_ID }),
      );
      expect((body?.phoneNumbers ?? []).map((n) => n.phoneNumber).sort()).toEqual(
        numbers.map((n) => `86${n}`),
      );
    } finally {
      await again.signal('SIGTERM');
    }
  });
});
