/**
 * The operator's console in Chromium (web/console/, src/web/console/): it refuses without the token,
 * onboards a number end to end with the keyboard and the mouse, shows user data as text on every page,
 * and takes the screenshots docs/screenshots/console-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { describeWithBrowser, screenshot } from './support/browser.js';

const TOKEN = 'browser-console-operator-token-0123456789';
const XSS = '<img src=x onerror=alert(1)>';

describeWithBrowser('the console in a browser', (session) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({
      CAMS_OPERATOR_TOKEN: TOKEN,
      CAMS_SYNC_INTERVAL_MS: '0',
      CAMS_WEBHOOK_ALLOW_LOOPBACK: 'true',
    });
    // The space's webhook goes to a closed port: its events show failed attempts on the webhooks page.
    await s.app.spaceRepo.setWebhook(s.root.accountId, s.root.custSpaceId, {
      statusCallbackUrl: 'http://127.0.0.1:9/cams-events',
    });
  });
  afterAll(async () => {
    await s.close();
  });

  /** Signs in with the keyboard only: the token field has the focus, Enter submits. */
  async function signIn(page: Page): Promise<void> {
    await page.goto(`http://${s.endpoint}/console`);
    await page.getByLabel('Operator token').waitFor();
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
  }

  const go = async (page: Page, hash: string) => {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
  };

  it('refuses without the token: a sign-in form, nothing else, and a wrong token is told so', async () => {
    const { page, context, errors } = await session().newPage();
    await page.goto(`http://${s.endpoint}/console#/accounts`);
    await expect.poll(() => page.getByLabel('Operator token').isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Console' }).count()).toBe(0);
    expect(await page.content()).not.toContain(s.root.accountId);
    // The API answers the page's own origin nothing without a session either.
    const status = await page.evaluate(async () => (await fetch('/console/api/accounts')).status);
    expect(status).toBe(401);

    await page.getByLabel('Operator token').fill('this-is-not-the-operator-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Unauthorized');
    expect(await page.content()).not.toContain(s.root.accountId);
    await screenshot(page, 'console-sign-in');
    // The one error is the refused sign-in's 401, which the browser reports.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await context.close();
  });

  it('onboards a number: add, request a code, read it in the outbox, verify, move the clock, register', async () => {
    const { page, context, errors } = await session().newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await signIn(page);
    await expect.poll(() => page.locator('main table').textContent()).toContain(s.root.accountId);
    await screenshot(page, 'console-accounts');

    await page.getByRole('link', { name: 'Numbers' }).click();
    await page.getByLabel('Account', { exact: true }).selectOption(s.root.accountId);
    await page.getByLabel('Customer space').selectOption(s.root.custSpaceId);
    await page.getByLabel('Country code', { exact: true }).fill('86');
    await page.getByLabel('Phone number (without the country code)').fill('13800150001');
    await page.getByLabel('Display name', { exact: true }).fill('Console Browser Shop');
    await page.getByRole('button', { name: 'Add number' }).click();
    const row = page.locator('tr[data-number="8613800150001"]');
    await expect.poll(() => row.textContent()).toContain('PENDING');
    expect(await row.locator('td.display-name').textContent()).toBe('Console Browser Shop');

    const [sent] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/numbers/8613800150001/code')),
      row.getByRole('button', { name: 'Request code' }).click(),
    ]);
    expect(sent.status()).toBe(200);

    await row.getByRole('link', { name: 'Outbox' }).click();
    await page.getByRole('heading', { name: 'Simulator outbox' }).waitFor();
    const otp = page.locator('code.otp').first();
    await otp.waitFor();
    const code = (await otp.textContent())!;
    expect(code).toMatch(/^\d{6}$/);
    await screenshot(page, 'console-outbox');

    await page.goBack();
    await row.waitFor();
    await row.getByLabel('Code for 8613800150001').fill(code);
    await row.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => row.textContent()).toContain('VERIFIED');

    // The simulator reviews the display name first: register is refused until its clock moves on.
    await row.getByRole('button', { name: 'Register' }).click();
    await expect
      .poll(() => row.getByRole('alert').textContent())
      .toContain('PhoneNumber.DisplayNameNotReady');

    await page.getByRole('link', { name: 'Clock and faults' }).click();
    await page.getByLabel('By (90s, 15m, 72h, 14d)').fill('1m');
    await page.getByRole('button', { name: 'Advance' }).click();
    await expect.poll(() => page.locator('.sim-offset').textContent()).toBe('60');
    await screenshot(page, 'console-simulator');

    await page.goBack();
    await row.waitFor();
    await row.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => row.textContent()).toContain('CONNECTED');
    expect(await row.textContent()).toContain('Approval');
    await screenshot(page, 'console-numbers');

    // Every step went to the audit trail as the console.
    await page.getByRole('link', { name: 'Audit' }).click();
    await expect
      .poll(() => page.locator('main table').textContent())
      .toContain(
        `console POST /accounts/${s.root.accountId}/spaces/${s.root.custSpaceId}/numbers/8613800150001/register`,
      );
    await screenshot(page, 'console-audit');

    // The number's changes were sent to the space's webhook, which does not answer.
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByLabel('Account', { exact: true }).selectOption(s.root.accountId);
    await expect.poll(() => page.locator('main table').textContent()).toContain('PhoneNumberStatus');
    // Each attempt and what came of it, under the event.
    await page.locator('details.attempts summary').first().click();
    await expect
      .poll(() => page.locator('details.attempts li').first().textContent())
      .toContain('ECONNREFUSED');
    await screenshot(page, 'console-webhooks');

    await page.getByRole('link', { name: 'Spaces' }).click();
    await page.getByLabel('Account', { exact: true }).selectOption(s.root.accountId);
    await expect.poll(() => page.locator('main table').textContent()).toContain(s.root.custSpaceId);
    await screenshot(page, 'console-spaces');

    await page.getByRole('link', { name: 'RAM' }).click();
    await page.getByLabel('Account', { exact: true }).selectOption(s.root.accountId);
    await page.getByLabel('User name').fill('operator-made');
    await page.getByRole('button', { name: 'Create user' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('operator-made');
    await page.getByRole('button', { name: 'Create access key' }).click();
    await expect.poll(() => page.locator('code.key-secret').count()).toBe(1);
    await screenshot(page, 'console-ram');

    expect(dialogs).toBe(0);
    // The one error is the early register's refusal, which the browser reports.
    expect(errors).toEqual([expect.stringContaining('status of 400')]);
    await context.close();
  });

  it(`renders ${XSS} as text on every page that shows it`, async () => {
    const account = await s.app.iam.createAccount({ name: XSS, subscribed: true });
    await s.app.iam.createUser(account.id, 'xss-user', XSS);
    const space = await s.app.spaces.create(account.id, { name: XSS });
    const { page, context, errors } = await session().newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await signIn(page);

    // The number's display name, added through the console's own form.
    await go(page, `#/numbers?account=${account.id}&space=${space.id}`);
    await page.getByLabel('Phone number (without the country code)').fill('13800150002');
    await page.getByLabel('Display name', { exact: true }).fill(XSS);
    await page.getByRole('button', { name: 'Add number' }).click();
    const cell = page.locator('tr[data-number="8613800150002"] td.display-name');
    await expect.poll(() => cell.textContent()).toBe(XSS);

    const pages = [
      '#/accounts',
      `#/account?account=${account.id}`,
      `#/spaces?account=${account.id}`,
      `#/numbers?account=${account.id}&space=${space.id}`,
    ];
    for (const hash of pages) {
      await go(page, hash);
      await expect.poll(() => page.locator('main').textContent(), { message: hash }).toContain(XSS);
      expect(await page.locator('main img').count(), hash).toBe(0);
    }
    // The account picker shows the name as text too.
    expect(await page.locator('select option').allTextContents()).toContain(`${XSS} (${account.id})`);
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('signs out: the session cookie no longer opens anything', async () => {
    const { page, context } = await session().newPage();
    await signIn(page);
    const cookies = await context.cookies();
    const cookie = cookies.find((c) => c.name === 'cams_console')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Operator token').waitFor();
    const res = await fetch(`http://${s.endpoint}/console/api/accounts`, {
      headers: { cookie: `cams_console=${cookie.value}` },
    });
    expect(res.status).toBe(401);
    await context.close();
  });
});
