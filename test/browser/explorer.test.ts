import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { camsClient, CamsModels, startServer, type Credentials, type TestServer } from '../support/server.js';
import { ramUser } from '../wire/helpers.js';
import { describeWithBrowser, screenshot } from './support/browser.js';

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;
/** Chromium logs every 4xx answer to fetch as a console error; the tests that expect one drop it. */
const HTTP_4XX = /^Failed to load resource: the server responded with a status of 4\d\d/;

describeWithBrowser('the explorer in a browser', (session) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.close();
  });

  /** Opens an action's form (`#Name` or `#product/Name`); every request the page sends to the gateway is kept. */
  async function open(action: string) {
    const opened = await session().newPage();
    const calls: Request[] = [];
    opened.page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/') calls.push(r);
    });
    await opened.page.goto(`http://${s.endpoint}/explorer#${action}`);
    const name = action.split('/').pop()!;
    await opened.page
      .locator('#action-h')
      .filter({ hasText: new RegExp(`^${name}$`) })
      .waitFor();
    return { ...opened, calls };
  }

  async function fill(page: Page, key: Credentials, values: Record<string, string>) {
    await page.fill('#ak-id', key.accessKeyId);
    await page.fill('#ak-secret', key.accessKeySecret);
    for (const [name, value] of Object.entries(values)) {
      const field = page.locator(`#p-${name}`);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
  }

  const send = (page: Page) => page.getByRole('button', { name: /^Send / }).click();
  /** The answer panel; `code` is null when the body has no Code (RAM and STS succeed without one). */
  const answer = async (page: Page) => {
    await page.locator('[data-testid="status"]').waitFor();
    const code = page.locator('[data-testid="code"]');
    return {
      status: await page.locator('[data-testid="status"]').textContent(),
      code: (await code.count()) === 0 ? null : await code.textContent(),
      requestId: await page.locator('[data-testid="request-id"]').textContent(),
      body: (await page.locator('[data-testid="body"]').textContent()) ?? '',
    };
  };
  const numbers = async () =>
    (
      await camsClient(s, s.root).queryChatappPhoneNumbers(
        new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
      )
    ).body?.phoneNumbers ?? [];

  it('refuses what the gateway would refuse before sending, in its words; then adds a number: Code OK and its RequestId', async () => {
    const { page, context, errors, calls } = await open('AddChatappPhoneNumber');
    await fill(page, s.root, { Cc: '86', VerifiedName: 'n'.repeat(513) });
    await send(page);
    await expect
      .poll(() => page.locator('#p-PhoneNumber-error').textContent())
      .toBe('PhoneNumber is mandatory for this action.');
    expect(await page.locator('#p-VerifiedName-error').textContent()).toBe(
      'Specified parameter VerifiedName is not valid: expected at most 512 characters, got 513.',
    );
    // The first refused field has the focus, and nothing went to the gateway.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('p-PhoneNumber');
    expect(calls).toHaveLength(0);

    await fill(page, s.root, {
      PhoneNumber: '13800138201',
      CustSpaceId: s.root.custSpaceId,
      VerifiedName: 'Explorer Shop',
    });
    await send(page);
    const got = await answer(page);
    expect(got).toMatchObject({ status: '200', code: 'OK' });
    expect(got.requestId).toMatch(UUID);
    expect(JSON.parse(got.body)).toMatchObject({ Code: 'OK', RequestId: got.requestId, Success: true });
    expect((await numbers()).map((n) => n.phoneNumber)).toContain('8613800138201');
    // The secret signed the request and stayed in the tab: not in the URL, a header or the body.
    expect(calls).toHaveLength(1);
    const sent = calls[0]!;
    expect(sent.url()).not.toContain(s.root.accessKeySecret);
    expect(JSON.stringify(await sent.allHeaders())).not.toContain(s.root.accessKeySecret);
    expect(sent.postData() ?? '').not.toContain(s.root.accessKeySecret);
    expect((await sent.allHeaders()).authorization).toMatch(
      new RegExp(`^ACS3-HMAC-SHA256 Credential=${s.root.accessKeyId},SignedHeaders=`),
    );
    expect(await page.evaluate(() => sessionStorage.getItem('cams.explorer.accessKeySecret'))).toBe(
      s.root.accessKeySecret,
    );
    // The sample code shows the same call.
    expect(await page.locator('[data-testid="sample"]').textContent()).toContain(
      'phoneNumber: "13800138201"',
    );
    await screenshot(page, 'explorer');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a RAM user under AliyunCamsReadOnlyAccess sees Ram.PermissionDeny with its AccessDeniedDetail', async () => {
    const reader = await ramUser(s, s.root.accountId, 'explorer-reader', ['AliyunCamsReadOnlyAccess']);
    const { page, context, errors } = await open('AddChatappPhoneNumber');
    await fill(page, reader, {
      PhoneNumber: '13800138202',
      CustSpaceId: s.root.custSpaceId,
      Cc: '86',
      VerifiedName: 'Reader Shop',
    });
    await send(page);
    const got = await answer(page);
    expect(got).toMatchObject({ status: '400', code: 'Ram.PermissionDeny' });
    expect(got.requestId).toMatch(UUID);
    expect(JSON.parse(got.body).AccessDeniedDetail).toEqual({
      AuthAction: 'cams:AddChatappPhoneNumber',
      AuthPrincipalType: 'SubUser',
      AuthPrincipalOwnerId: s.root.accountId,
      AuthPrincipalDisplayName: reader.userId,
      PolicyType: 'AccountLevelIdentityBasedPolicy',
      NoPermissionType: 'ImplicitDeny',
    });
    expect((await numbers()).map((n) => n.phoneNumber)).not.toContain('8613800138202');
    await screenshot(page, 'explorer-permission-deny');
    expect(errors.filter((e) => !HTTP_4XX.test(e))).toEqual([]);
    await context.close();
  });

  it('a wrong secret: SignatureDoesNotMatch with the two string-to-signs side by side', async () => {
    const { page, context, errors } = await open('QueryChatappPhoneNumbers');
    await fill(
      page,
      { accessKeyId: s.root.accessKeyId, accessKeySecret: `${s.root.accessKeySecret}x` },
      { CustSpaceId: s.root.custSpaceId },
    );
    await send(page);
    const got = await answer(page);
    expect(got).toMatchObject({ status: '400', code: 'SignatureDoesNotMatch' });
    const text = (id: string) => page.locator(`[data-testid="${id}"]`).textContent();
    const clientStringToSign = await text('client-string-to-sign');
    expect(clientStringToSign).toMatch(/^ACS3-HMAC-SHA256\n[0-9a-f]{64}\n$/);
    // Only the secret differs: both sides built the same canonical request and string-to-sign.
    expect(await text('server-string-to-sign')).toBe(clientStringToSign);
    expect(await text('server-canonical')).toBe(await text('client-canonical'));
    expect(await text('client-canonical')).toContain(`x-acs-action:QueryChatappPhoneNumbers\n`);
    expect(await page.locator('.compare').textContent()).toContain('the secret differs');
    await screenshot(page, 'explorer-signature');
    expect(errors.filter((e) => !HTTP_4XX.test(e))).toEqual([]);
    await context.close();
  });

  it('a display name <img src=x onerror=alert(1)> shows as text: no element, no dialog', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const { page, context, errors } = await open('AddChatappPhoneNumber');
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await fill(page, s.root, {
      PhoneNumber: '13800138203',
      CustSpaceId: s.root.custSpaceId,
      Cc: '86',
      VerifiedName: name,
    });
    await send(page);
    expect((await answer(page)).code).toBe('OK');
    // Read it back through the explorer: the answer's body holds the name.
    await page.getByRole('link', { name: 'QueryChatappPhoneNumbers' }).click();
    await page.locator('#action-h').filter({ hasText: 'QueryChatappPhoneNumbers' }).waitFor();
    await page.fill('#p-CustSpaceId', s.root.custSpaceId);
    await send(page);
    const got = await answer(page);
    expect(got.code).toBe('OK');
    expect(got.body).toContain(JSON.stringify(name));
    // The sample code echoes typed text too: also as text.
    await page.fill('#p-CustSpaceId', name);
    expect(await page.locator('[data-testid="sample"]').textContent()).toContain(JSON.stringify(name));
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await screenshot(page, 'explorer-xss');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the keyboard alone fills and sends a form', async () => {
    const { page, context, errors } = await open('AddChatappPhoneNumber');
    /** Tabs forward until the element with this id has the focus. */
    const tabTo = async (id: string) => {
      for (let i = 0; i < 80; i++) {
        if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached #${id}`);
    };
    await tabTo('ak-id');
    await page.keyboard.type(s.root.accessKeyId);
    await page.keyboard.press('Tab');
    await page.keyboard.type(s.root.accessKeySecret);
    for (const [id, value] of [
      ['p-PhoneNumber', '13800138204'],
      ['p-CustSpaceId', s.root.custSpaceId],
      ['p-Cc', '86'],
      ['p-VerifiedName', 'Keyboard Shop'],
    ] as const) {
      await tabTo(id);
      await page.keyboard.type(value);
    }
    // Tab on to the send button and press it.
    await tabTo('send');
    await page.keyboard.press('Enter');
    const got = await answer(page);
    expect(got).toMatchObject({ status: '200', code: 'OK' });
    expect((await numbers()).map((n) => n.phoneNumber)).toContain('8613800138204');
    // The focused element is visibly outlined.
    await tabTo('p-PhoneNumber');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists the actions by product; a RAM CreateUser then ListUsers with the root key answer 200, their RequestId and the user', async () => {
    const { page, context, errors, calls } = await open('ram/CreateUser');
    // The list: one heading per product, each over its own actions, every one a link.
    const nav = page.getByRole('navigation', { name: 'Actions' });
    for (const [heading, action] of [
      ['CAMS 2020-06-06', 'AddChatappPhoneNumber'],
      ['RAM 2015-05-01', 'CreateUser'],
      ['STS 2015-04-01', 'AssumeRole'],
    ] as const) {
      const list = nav.getByRole('list', { name: heading });
      await expect.poll(() => list.getByRole('link', { name: action, exact: true }).count()).toBe(1);
    }
    expect(await nav.getByRole('heading', { level: 3 }).allTextContents()).toEqual([
      'CAMS 2020-06-06',
      'RAM 2015-05-01',
      'STS 2015-04-01',
    ]);
    expect(await page.locator('[data-testid="product"]').textContent()).toContain(
      'RAM API, Version 2015-05-01',
    );

    await fill(page, s.root, { UserName: 'explorer-user', DisplayName: 'Explorer User' });
    await send(page);
    const created = await answer(page);
    expect(created.status).toBe('200');
    expect(created.code).toBeNull(); // RAM's success envelope has no Code
    expect(created.requestId).toMatch(UUID);
    expect(JSON.parse(created.body)).toMatchObject({
      RequestId: created.requestId,
      User: { UserName: 'explorer-user', DisplayName: 'Explorer User' },
    });
    // Signed for RAM's Version, not CAMS's.
    expect(calls).toHaveLength(1);
    expect((await calls[0]!.allHeaders())['x-acs-version']).toBe('2015-05-01');
    expect(await page.locator('[data-testid="sample"]').textContent()).toContain(
      "import Ram, * as $Ram from '@alicloud/ram20150501';",
    );

    // On to ListUsers by the keyboard: its link is reachable with Tab and opens with Enter.
    const link = nav.getByRole('link', { name: 'ListUsers', exact: true });
    expect(await link.getAttribute('href')).toBe('#ram/ListUsers');
    await link.focus();
    await page.keyboard.press('Enter');
    await page.locator('#action-h').filter({ hasText: 'ListUsers' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#ram/ListUsers');
    await send(page);
    const listed = await answer(page);
    expect(listed.status).toBe('200');
    expect(listed.requestId).toMatch(UUID);
    const body = JSON.parse(listed.body) as {
      RequestId: string;
      Users: { User: Array<{ UserName: string }> };
    };
    expect(body.RequestId).toBe(listed.requestId);
    expect(body.Users.User.map((u) => u.UserName)).toContain('explorer-user');
    await screenshot(page, 'explorer-ram');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a RAM error shows its Code: CreateUser of an existing name', async () => {
    const { page, context, errors } = await open('ram/CreateUser');
    await fill(page, s.root, { UserName: 'explorer-twice' });
    await send(page);
    expect((await answer(page)).status).toBe('200');
    await send(page);
    await expect.poll(async () => (await answer(page)).code).not.toBeNull();
    const got = await answer(page);
    expect(got).toMatchObject({ status: '409', code: 'EntityAlreadyExists.User' });
    expect(JSON.parse(got.body)).toMatchObject({
      Code: 'EntityAlreadyExists.User',
      RequestId: got.requestId,
    });
    expect(got.requestId).toMatch(UUID);
    expect(errors.filter((e) => !HTTP_4XX.test(e))).toEqual([]);
    await context.close();
  });

  it('with the demo on loopback, the demo key and space are prefilled and a number is added without typing a key', async () => {
    // What `cams serve` writes on a first start (src/cli/bootstrap.ts), here for the test server's own account.
    const file = path.join(s.dataDir, 'demo-credentials.json');
    writeFileSync(file, JSON.stringify({ ...s.root }), { mode: 0o600 });
    try {
      const { page, context, errors } = await open('AddChatappPhoneNumber');
      await expect.poll(() => page.inputValue('#ak-id')).toBe(s.root.accessKeyId);
      expect(await page.inputValue('#ak-secret')).toBe(s.root.accessKeySecret);
      expect(await page.inputValue('#p-CustSpaceId')).toBe(s.root.custSpaceId);
      // The key came from the API, never in the page itself.
      const html = await (await fetch(`http://${s.endpoint}/explorer`)).text();
      expect(html).not.toContain(s.root.accessKeySecret);
      await page.fill('#p-PhoneNumber', '13800138205');
      await page.fill('#p-Cc', '86');
      await page.fill('#p-VerifiedName', 'Demo Shop');
      await send(page);
      expect((await answer(page)).code).toBe('OK');
      expect((await numbers()).map((n) => n.phoneNumber)).toContain('8613800138205');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      rmSync(file, { force: true });
    }
  });
});
