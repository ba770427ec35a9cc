import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';

/**
 * Real-browser tests: Debian's Chromium (`apt install chromium`; `.ci/run` installs it) driven by
 * playwright-core. Where no browser exists the suites skip and say why; with CAMS_REQUIRE_BROWSER=1
 * (set by `.ci/run`, which has installed one) a missing browser fails instead of skipping.
 */
const CANDIDATES = [process.env.CAMS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const chromiumPath: string | undefined = CANDIDATES.find(
  (candidate): candidate is string => candidate !== undefined && candidate !== '' && existsSync(candidate),
);

const required = process.env.CAMS_REQUIRE_BROWSER === '1';

/** The flags the machine's Chromium needs headless as root and without a network beyond loopback. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  readonly browser: Browser;
  /** A fresh context (cookies, storage) per call: tabs of different users never share a session. */
  newPage(): Promise<{ page: Page; context: BrowserContext; errors: string[] }>;
}

/**
 * A describe block with one Chromium for its tests. `errors` collects the page's uncaught errors and
 * console errors (a Content-Security-Policy violation is one), which tests assert to be empty.
 */
export function describeWithBrowser(name: string, fn: (session: () => BrowserSession) => void): void {
  if (chromiumPath === undefined) {
    if (required) {
      describe(name, () => {
        it('needs a browser', () => {
          throw new Error('CAMS_REQUIRE_BROWSER=1 but no Chromium was found (apt install chromium)');
        });
      });
      return;
    }
    console.warn(
      `${name}: skipped, no Chromium on this machine (apt install chromium, or set CAMS_CHROMIUM)`,
    );
    describe.skip(name, () => fn(() => undefined as never));
    return;
  }
  describe(name, () => {
    let browser: Browser | undefined;
    // playwright-core starts it headless with a fresh, temporary profile of its own.
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });
    fn(() => ({
      browser: browser!,
      newPage: async () => {
        const context = await browser!.newContext();
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        return { page, context, errors };
      },
    }));
  });
}

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../docs/screenshots');

/** Saves what the page shows as docs/screenshots/<name>.png (the docs show these). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
