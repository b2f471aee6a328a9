/**
 * A fresh browser context per test (its own cookies) on the suite's one Chromium, and a screenshot of the page
 * kept in test/e2e/failures/ (git-ignored) whenever a test fails.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import type {} from './provided';

export const FAILURES = join(import.meta.dirname, 'failures');

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  /** Script errors and CSP violations the page reported (not failed requests: answers like 401 are checked by the tests). */
  problems: string[];
}

export function useBrowser(): { world: ReturnType<typeof inject<'e2e'>>; open: () => Promise<BrowserSession> } {
  const world = inject('e2e');
  let browser: Browser;
  const opened: BrowserSession[] = [];
  beforeAll(async () => {
    browser = await puppeteer.connect({ browserWSEndpoint: world.browserWSEndpoint });
  });
  afterAll(async () => {
    await browser.disconnect();
  });
  beforeEach((test) => {
    // One hook for both, so the screenshot is taken before the pages close.
    test.onTestFinished(async () => {
      const pages = opened.splice(0);
      if (test.task.result?.state === 'fail') {
        mkdirSync(FAILURES, { recursive: true });
        const name = test.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
        await Promise.all(pages.map((s, i) => s.page.screenshot({ path: join(FAILURES, `${name}-${i}.png`), fullPage: true }).catch(() => {})));
      }
      await Promise.all(pages.map((s) => s.context.close().catch(() => {})));
    });
  });
  const open = async (): Promise<BrowserSession> => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    const session = { page, context, problems };
    opened.push(session);
    return session;
  };
  return { world, open };
}
