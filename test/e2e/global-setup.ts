/**
 * The browser tests' world, started once for the suite: the dashboard built, one `wrangler dev` on a fresh state
 * folder, the mail catcher it sends to, and one headless Chromium (from `@sparticuz/chromium`, so `npm install` is all a machine needs). The
 * tests connect to the browser through its DevTools endpoint (`inject('e2e')`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import type { TestProject } from 'vitest/node';
import { startMailOutbox } from '../../scripts/mail-outbox.mjs';
import { newSecrets, WranglerDev } from '../process/wrangler-dev';
import type { E2eWorld } from './provided';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The package's flags are for serverless hosts: one process, and the same-origin policy and mixed-content
 * blocking turned off. The tests need a browser that behaves like a user's (separate contexts, CORS, CSRF), so
 * those flags are dropped.
 */
const UNSAFE = ['--single-process', '--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials'];
const browserArgs = () => chromium.args.filter((arg) => !UNSAFE.includes(arg) && !arg.startsWith('--disable-features='));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync(process.execPath, ['scripts/build-dashboard.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  const state = await mkdtemp(join(tmpdir(), 'edgepix-e2e-'));
  const secrets = newSecrets();
  // The Worker mails through the HTTP mail API to this catcher; the tests read codes and links from it.
  const outbox = await startMailOutbox({ port: 0 });
  // Analytics events are written at once rather than batched for 10 s, so the analytics page shows them.
  const dev = new WranglerDev(state, secrets, { MAIL_API_URL: `${outbox.url}/send`, ANALYTICS_FLUSH_MS: '0' });
  const [browser] = await Promise.all([
    chromium.executablePath().then((executablePath) => puppeteer.launch({ executablePath, args: browserArgs(), headless: true })),
    dev.start(),
  ]);
  const world: E2eWorld = { baseUrl: dev.url, adminToken: secrets.PLATFORM_ADMIN_TOKEN, browserWSEndpoint: browser.wsEndpoint(), mailUrl: outbox.url };
  project.provide('e2e', world);
  return async () => {
    await browser.close();
    await dev.kill();
    await outbox.close();
    await rm(state, { recursive: true, force: true });
  };
}
