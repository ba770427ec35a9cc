/**
 * Console sessions on PostgreSQL, shared by the instances of one deployment behind a load balancer:
 * a session begun on one instance works on another, survives a restart and ends everywhere at sign-out.
 * Skips where PostgreSQL is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresReachable,
  scratchSchema,
  SKIP_POSTGRES,
  type ScratchSchema,
} from '../../src/store/test-support.js';
import { newMasterKey } from '../scale/processes.js';
import { startServer, type TestServer } from '../support/server.js';
import { ConsoleClient, OPERATOR_TOKEN } from './console-support.js';

const pg = await postgresReachable();
if (!pg) console.warn(`test/web/console-postgres.test.ts ${SKIP_POSTGRES}`);

describe.skipIf(!pg)('console sessions on PostgreSQL, two instances', () => {
  let schema: ScratchSchema;
  let env: Record<string, string>;
  const servers: TestServer[] = [];
  const start = async () => {
    const server = await startServer(env);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    schema = await scratchSchema();
    env = {
      CAMS_DATABASE_URL: schema.url,
      CAMS_MASTER_KEY: newMasterKey(),
      CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN,
      CAMS_SYNC_INTERVAL_MS: '0',
    };
  });
  afterAll(async () => {
    for (const server of servers) await server.close().catch(() => {});
    await schema?.drop();
  });

  /** The same browser session, talking to another instance. */
  const on = (server: TestServer, from: ConsoleClient) => {
    const c = new ConsoleClient(server, '192.0.2.10');
    c.cookie = from.cookie;
    c.csrf = from.csrf;
    return c;
  };

  it('a session begun on one instance works on the other, after a restart, and ends everywhere', async () => {
    const a = await start();
    const b = await start();
    const atA = new ConsoleClient(a, '192.0.2.10');
    expect((await atA.signIn()).status).toBe(201);

    const atB = on(b, atA);
    const made = await atB.call('POST', 'accounts', { name: 'made through B' });
    expect(made.status).toBe(201);
    const id = (made.body.account as { id: string }).id;
    expect(
      ((await atA.call('GET', 'accounts')).body.accounts as Array<{ id: string }>).map((x) => x.id),
    ).toContain(id);

    // A restarts (a new process on the same database): the cookie still opens the console.
    await a.close();
    servers.splice(servers.indexOf(a), 1);
    const c = await start();
    const atC = on(c, atA);
    expect((await atC.call('GET', 'accounts')).status).toBe(200);

    expect((await atB.call('DELETE', 'session')).status).toBe(200);
    expect((await atC.call('GET', 'accounts')).status).toBe(401);
  });
});
