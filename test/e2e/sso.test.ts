/**
 * Single sign-on in the browser against a real OpenID Connect provider (`oidc-provider`, started here): the
 * sign-in page's SSO button goes to the IdP and comes back signed in, as a user made on first sign-in with
 * the tenant's default role; with "SSO required", the password form is refused by the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../servers/listen';
import { startOidcProvider } from '../servers/oidc';
import { OIDC_CLIENT } from '../servers/provided-oidc';
import { useBrowser } from './browser';
import { fill } from './people';
import { createTenant, type Tenant } from './tenant';

const { world, open } = useBrowser();
let idp: RunningServer;

beforeAll(async () => {
  idp = await startOidcProvider(`${world.baseUrl}/app/api/auth/sso/callback`);
});
afterAll(() => idp.close());

async function configureSso(tenant: Tenant, required: boolean): Promise<void> {
  const res = await fetch(`${world.baseUrl}/v1/accounts/sso`, {
    method: 'PUT',
    headers: { Authorization: `Basic ${Buffer.from(`${tenant.privateKey}:`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ issuer: idp.url, ...OIDC_CLIENT, allowedDomains: ['example.com'], defaultRole: 'media_manager', required }),
  });
  expect(res.status).toBe(200);
}

describe('single sign-on', () => {
  it('signs a new person in through the IdP as a user with the default role', async () => {
    const tenant = await createTenant(world);
    await configureSso(tenant, false);
    const { page, problems } = await open();
    await page.goto(`${world.baseUrl}/app/login`);
    await page.waitForSelector('form#login');
    const email = `sso-${Date.now()}@example.com`;
    await fill(page, 'form#login input[name=tenant]', tenant.id);
    await fill(page, 'form#login input[name=email]', email);
    await Promise.all([page.waitForNavigation(), page.click('#sso')]);
    await page.waitForSelector('#whoami');
    expect(new URL(page.url()).pathname).toBe('/app/');
    expect(await page.$eval('#whoami', (e) => e.textContent)).toBe(email);
    expect(await page.$eval('.me small', (e) => e.textContent)).toBe('(media_manager)');
    // The session works for the API as for the page.
    expect(await page.evaluate(async () => (await fetch('/app/api/v1/files')).status)).toBe(200);
    expect(problems).toEqual([]);
  });

  it('refuses the password form when the tenant requires SSO', async () => {
    const tenant = await createTenant(world);
    await configureSso(tenant, true);
    const { page } = await open();
    await page.goto(`${world.baseUrl}/app/login`);
    await page.waitForSelector('form#login');
    await fill(page, 'form#login input[name=tenant]', tenant.id);
    await fill(page, 'form#login input[name=email]', 'someone@example.com');
    await fill(page, 'form#login input[name=password]', 'a password of some length');
    await page.click('form#login button[type=submit]');
    await page.waitForSelector('form#login .error[data-status="403"]');
    expect(await page.$eval('form#login .error', (e) => e.textContent)).toMatch(/single sign-on/);
    expect(await page.$('form#mfa')).toBeNull();
  });
});
