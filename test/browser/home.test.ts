import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { describeWithBrowser, screenshot } from './support/browser.js';

describeWithBrowser('the home page in a browser', (session) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('shows its links with the stylesheet applied, breaks no policy, and the keyboard reaches the link to the explorer', async () => {
    const { page, context, errors } = await session().newPage();
    await page.goto(`http://${s.endpoint}/`);
    await expect.poll(() => page.title()).toBe('Home · cams-server');
    // The stylesheet loaded under the policy: the header has its panel colour.
    const background = await page
      .locator('header.top')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(245, 246, 248)');
    await screenshot(page, 'home');
    // Tab from the top of the page until the Explorer link of the cards has focus, then follow it.
    let focused = '';
    for (let i = 0; i < 10 && focused !== '/explorer'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('href') ?? '');
    }
    expect(focused).toBe('/explorer');
    expect(errors).toEqual([]);
    await context.close();
  });
});
