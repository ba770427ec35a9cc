/**
 * ChatappBindWaba binds only WABAs the upstream knows, and says what it created (cams-api.md §1.3
 * ChatappBindWaba), through the official SDK against a listening server with the simulator.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CamsModels, startServer, type TestServer } from '../support/server.js';
import { admin, client, expectError, OPERATOR_TOKEN, type Client } from './helpers.js';

let s: TestServer;
let c: Client;

beforeAll(async () => {
  s = await startServer({ CAMS_OPERATOR_TOKEN: OPERATOR_TOKEN, CAMS_SYNC_INTERVAL_MS: '0' });
  c = client(s, s.root);
});
afterAll(() => s.close());

const bind = (wabaId: string) => c.chatappBindWaba(new CamsModels.ChatappBindWabaRequest({ wabaId }));
const spaceCount = async () => (await s.app.spaceRepo.list(s.root.accountId)).length;

it('refuses a WABA the upstream does not know, and creates no space and no WABA', async () => {
  const before = await spaceCount();
  await expectError(
    bind('770000000000001'),
    'InvalidParameter',
    400,
    'WabaId',
    '770000000000001',
    /no customer space was created/,
  );
  expect(await spaceCount()).toBe(before);
  // Nor did the simulator make the WABA up: asking again is refused the same way.
  await expectError(bind('770000000000001'), 'InvalidParameter', 400, 'WabaId');
  expect(await spaceCount()).toBe(before);
});

it('binds a WABA the upstream knows to a new space, and says so; binding again creates nothing', async () => {
  const created = await admin(s, 'POST', '/_admin/wabas', { name: 'Known shop', wabaId: '770000000000002' });
  expect(created).toEqual({ status: 201, body: { Waba: { wabaId: '770000000000002', name: 'Known shop' } } });
  const before = await spaceCount();

  const res = await bind('770000000000002');
  expect(res.body?.code).toBe('OK');
  const space = res.body!.data!.custSpaceId!;
  expect(res.body?.data?.wabaId).toBe('770000000000002');
  expect(res.body?.message).toBe(`Created customer space ${space} for WABA 770000000000002.`);
  expect(await spaceCount()).toBe(before + 1);
  const q = await c.queryChatappBindWaba(new CamsModels.QueryChatappBindWabaRequest({ custSpaceId: space }));
  expect(q.body?.data).toMatchObject({ id: '770000000000002', name: 'Known shop' });

  const again = await bind('770000000000002');
  expect(again.body?.data?.custSpaceId).toBe(space);
  expect(again.body?.message).toBe(
    `WABA 770000000000002 is already bound to customer space ${space}; nothing was created.`,
  );
  expect(await spaceCount()).toBe(before + 1);
});

it("binds the WABA of the account's existing space without creating one", async () => {
  const before = await spaceCount();
  const waba = (await s.app.spaceRepo.get(s.root.accountId, s.root.custSpaceId))!.wabaId;
  const res = await bind(waba);
  expect(res.body?.data?.custSpaceId).toBe(s.root.custSpaceId);
  expect(res.body?.message).toContain('nothing was created');
  expect(await spaceCount()).toBe(before);
});

it('the operator endpoint refuses a malformed WABA ID', async () => {
  const res = await admin(s, 'POST', '/_admin/wabas', { name: 'Bad', wabaId: 'abc' });
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('5-20 digits');
});
