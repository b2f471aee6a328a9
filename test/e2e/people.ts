/** The steps a person takes in the dashboard, shared by the flows. */
import type { Page } from 'puppeteer-core';
import { codeIn, linkIn, waitForMail } from './mail';
import type { E2eWorld } from './provided';

export const PASSWORD = 'correct horse battery staple';

/** Fills an input (clearing what it held) the way typing would. */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(selector, (input) => ((input as HTMLInputElement).value = ''));
  await page.type(selector, value);
}

/** Opens the emailed invitation, chooses a name and password; ends on the sign-in page. */
export async function acceptInvitation(page: Page, world: E2eWorld, email: string, name: string): Promise<void> {
  const invitation = await waitForMail(world, email, /invited/);
  await page.goto(linkIn(invitation));
  await page.waitForSelector('form#accept-invite');
  await fill(page, 'form#accept-invite input[name=name]', name);
  await fill(page, 'form#accept-invite input[name=password]', PASSWORD);
  await page.click('form#accept-invite button[type=submit]');
  await page.waitForSelector('#invite-done');
  await page.click('.auth button');
  await page.waitForSelector('form#login');
}

/** Password, then the code from the newest sign-in mail; ends in the dashboard. */
export async function signIn(page: Page, world: E2eWorld, tenant: string, email: string, password = PASSWORD): Promise<void> {
  if (!(await page.$('form#login'))) {
    await page.goto(`${world.baseUrl}/app/login`);
    await page.waitForSelector('form#login');
  }
  const since = new Date().toISOString();
  await fill(page, 'form#login input[name=tenant]', tenant);
  await fill(page, 'form#login input[name=email]', email);
  await fill(page, 'form#login input[name=password]', password);
  await page.click('form#login button[type=submit]');
  await page.waitForSelector('form#mfa');
  const mail = await waitForMail(world, email, /sign-in code/, since);
  await fill(page, 'form#mfa input[name=code]', codeIn(mail));
  await page.click('form#mfa button[type=submit]');
  await page.waitForSelector('#whoami');
}

/** A call from inside the page, with the page's cookie and (for writes) its session's CSRF token. */
export function callFromPage(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async (method, path, body) => {
      const session = await (await fetch('/app/api/auth/session')).json();
      const res = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken ?? '' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    method,
    path,
    body,
  );
}
