import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { App } from '../main.js';
import { DEMO_CREDENTIALS_FILE } from '../web/explorer/demo-key.js';

export interface DemoCredentials {
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
  custSpaceId: string;
}

/** The explorer reads the same file (src/web/explorer/demo-key.ts). */
export const DEMO_FILE = DEMO_CREDENTIALS_FILE;

/**
 * First start with an empty data directory: a subscribed demo account, a root access key and one
 * customer space, written to an owner-only file. Fixed values come from CAMS_DEMO_* (for CI users).
 * Returns undefined when the store already has accounts or the demo is switched off.
 */
export async function bootstrapDemo(app: App): Promise<DemoCredentials | undefined> {
  const demo = app.config.demo;
  if (!demo.enabled || (await app.iam.listAccounts()).length > 0) return undefined;
  // One unit of work: durable before anyone is told the credentials.
  const credentials: DemoCredentials = await app.durably(async () => {
    const account = await app.iam.createAccount({ name: 'demo', subscribed: true, id: demo.accountId });
    const key = await app.iam.createAccessKey(account.id, {
      fixed:
        demo.accessKeyId !== undefined && demo.accessKeySecret !== undefined
          ? { id: demo.accessKeyId, secret: demo.accessKeySecret }
          : undefined,
    });
    const space = await app.spaces.create(account.id, { name: 'demo space', id: demo.custSpaceId });
    return {
      accountId: account.id,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      custSpaceId: space.id,
    };
  });
  // The mode given to open applies only at creation: a file left from an earlier start is narrowed before
  // the secret is written to it.
  const fd = openSync(path.join(app.config.dataDir, DEMO_FILE), 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, `${JSON.stringify(credentials, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  return credentials;
}

/** A copy-paste snippet for the official SDK. */
export function sdkSnippet(c: DemoCredentials, endpoint: string): string {
  return `import Client, * as $Cams from '@alicloud/cams20200606';
import * as $OpenApi from '@alicloud/openapi-client';

const client = new Client.default(new $OpenApi.Config({
  accessKeyId: '${c.accessKeyId}',
  accessKeySecret: '${c.accessKeySecret}',
  endpoint: '${endpoint}',
  protocol: 'http',
}));
const res = await client.addChatappPhoneNumber(new $Cams.AddChatappPhoneNumberRequest({
  custSpaceId: '${c.custSpaceId}', cc: '86', phoneNumber: '13800138000', verifiedName: 'Alibaba Cloud',
}));
console.log(res.body);`;
}

export const OPERATOR_TOKEN_FILE = 'operator-token';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The demo's operator token: `cams serve` on loopback with the demo on and no CAMS_OPERATOR_TOKEN makes
 * one (random, 256 bits) and keeps it in an owner-only file of the data directory, so a newcomer can sign
 * in to the console (`/console`) on the first start. It is never printed in the log stream nor put in a
 * page; the terminal banner names the file. Anywhere else (another address, the demo off, a token given)
 * nothing changes: without a token the operator endpoints do not exist.
 */
export function demoOperatorToken(config: Config): { token: string; file: string } | undefined {
  if (config.operatorToken !== undefined || !config.demo.enabled || !LOOPBACK_HOSTS.has(config.host))
    return undefined;
  const file = path.join(config.dataDir, OPERATOR_TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file };
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  const fd = openSync(file, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  return { token, file };
}
