/* Shared by the webhook tests (not shipped behaviour): local receivers, temp databases, polling. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { SecretBox } from '../crypto/secret-box.js';
import { tablesOf } from '../store/index.js';
import { openPostgres } from '../store/postgres.js';
import { openSqlite } from '../store/sqlite/open-sqlite.js';
import { scratchSchema, type ScratchSchema } from '../store/test-support.js';
import { WEBHOOK_MIGRATIONS } from './migrations/index.js';
import type { WebhookTables } from './tables.js';

export interface ReceivedRequest {
  readonly at: number;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * What the receiver does with its n-th request (0-based): answer a status code, answer 200 with a body
 * of that many bytes, drop the connection, or never answer.
 */
export type Behaviour = number | { readonly bodyBytes: number } | 'reset' | 'hang';

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(
  behaviour: (index: number, request: IncomingMessage) => Behaviour = () => 204,
  delayMs = 0,
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const index = requests.length;
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        at: Date.now(),
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      });
      const action = behaviour(index, req);
      setTimeout(() => {
        if (action === 'reset') req.socket.destroy();
        else if (typeof action === 'object') res.writeHead(200).end(Buffer.alloc(action.bodyBytes, 'x'));
        else if (action !== 'hang') res.writeHead(action).end('ok');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/cams`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestStore {
  readonly file: string;
  readonly box: SecretBox;
  open(): Promise<Kysely<WebhookTables>>;
  cleanup(): Promise<void>;
}

/** A temp-dir SQLite file through the real migrations; `open` may be called again to simulate a restart. */
export function testStore(): TestStore {
  const dir = mkdtempSync(path.join(tmpdir(), 'cams-webhooks-'));
  const file = path.join(dir, 'cams.sqlite');
  const opened: Array<Kysely<WebhookTables>> = [];
  return {
    file,
    box: new SecretBox(Buffer.alloc(32, 7)),
    async open() {
      const db = tablesOf<WebhookTables>(await openSqlite(file, { migrations: [WEBHOOK_MIGRATIONS] }));
      opened.push(db);
      return db;
    },
    async cleanup() {
      await Promise.all(opened.map((db) => db.destroy().catch(() => undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The same on the machine's PostgreSQL, in a fresh schema dropped by `cleanup`; each `open` is another
 * pool on the one database (another instance). Callers skip when PostgreSQL is absent
 * (store/test-support.ts `postgresReachable`).
 */
export function testPostgresStore(): TestStore {
  let schema: ScratchSchema | undefined;
  const opened: Array<Kysely<WebhookTables>> = [];
  return {
    file: '(PostgreSQL)',
    box: new SecretBox(Buffer.alloc(32, 7)),
    async open() {
      schema ??= await scratchSchema();
      const db = tablesOf<WebhookTables>(
        await openPostgres(schema.url, { migrations: [WEBHOOK_MIGRATIONS] }),
      );
      opened.push(db);
      return db;
    },
    async cleanup() {
      await Promise.all(opened.map((db) => db.destroy().catch(() => undefined)));
      await schema?.drop();
    },
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
