/**
 * What the server enforces, whatever the page shows: a viewer's writes are refused (not just hidden), a role
 * change applies at the user's next request, ending a user's sessions signs them out, and a page of another
 * origin cannot act with the user's cookie.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { useBrowser } from './browser';
import { linkIn, waitForMail } from './mail';
import { acceptInvitation, callFromPage, fill, PASSWORD, signIn } from './people';
import { createTenant, solidJpeg, uploadWithKey } from './tenant';

const { world, open } = useBrowser();
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((done) => s.close(done)))));

const keyAuth = (privateKey: string) => ({ Authorization: `Basic ${Buffer.from(`${privateKey}:`).toString('base64')}` });

async function ownerSignedIn() {
  const email = `owner-${Date.now()}@example.com`;
  const tenant = await createTenant(world, { owner: { email, name: 'Olga' } });
  const owner = await open();
  await acceptInvitation(owner.page, world, email, 'Olga');
  await signIn(owner.page, world, tenant.id, email);
  return { tenant, owner, email };
}

describe('access in the dashboard', () => {
  it('refuses a viewer at the server, applies role changes at once, and signs a user out everywhere', async () => {
    const { tenant, owner } = await ownerSignedIn();
    const file = await uploadWithKey(world, tenant, 'kept.jpg', await solidJpeg(40, 30, [10, 200, 10]));

    // The owner invites a viewer from the Users page.
    const viewerEmail = `viewer-${Date.now()}@example.com`;
    await owner.page.click('a[data-page="/app/users"]');
    await owner.page.waitForSelector('form#invite-form');
    await fill(owner.page, 'form#invite-form input[name=email]', viewerEmail);
    await owner.page.select('form#invite-form select[name=role]', 'viewer');
    await owner.page.click('form#invite-form button');
    await owner.page.waitForSelector('#invite-sent');

    const viewer = await open();
    await acceptInvitation(viewer.page, world, viewerEmail, 'Vic');
    await signIn(viewer.page, world, tenant.id, viewerEmail);
    await viewer.page.waitForSelector('.grid .cell[data-name^="kept"]');
    // The page offers no writes and no settings...
    expect(await viewer.page.$('#upload-input')).toBeNull();
    expect(await viewer.page.$$eval('nav a', (links) => links.map((a) => a.textContent))).toEqual(['Media library']);
    // ...and the server refuses them when asked anyway.
    const refused = await callFromPage(viewer.page, 'POST', '/app/api/v1/files/batch/deleteByFileIds', { fileIds: [file.fileId] });
    expect(refused.status).toBe(403);
    expect((await callFromPage(viewer.page, 'GET', '/app/api/v1/accounts/settings')).status).toBe(403);
    expect((await fetch(`${world.baseUrl}/v1/files/${file.fileId}/details`, { headers: keyAuth(tenant.privateKey) })).status).toBe(200);

    // Made a media manager, the viewer can upload on their next request, without signing in again.
    await owner.page.click('a[data-page="/app/users"]');
    const roleSelect = `tr[data-user="${viewerEmail}"] select`;
    await owner.page.waitForSelector(roleSelect);
    await owner.page.select(roleSelect, 'media_manager');
    await owner.page.waitForFunction((sel) => (document.querySelector(sel) as HTMLSelectElement | null)?.value === 'media_manager', {}, roleSelect);
    await viewer.page.reload();
    await viewer.page.waitForSelector('#upload-input');

    // Ending their sessions signs them out: the next call is a 401 and the page asks them to sign in.
    await owner.page.click(`tr[data-user="${viewerEmail}"] button[data-action=end-sessions]`);
    await owner.page.waitForFunction(() => !document.querySelector('.card .error'));
    expect((await callFromPage(viewer.page, 'GET', '/app/api/v1/files')).status).toBe(401);
    await viewer.page.reload();
    await viewer.page.waitForSelector('form#login');
    // The owner's own session is untouched.
    expect((await callFromPage(owner.page, 'GET', '/app/api/v1/files')).status).toBe(200);
  });

  it('refuses writes from another origin, and writes without the CSRF token', async () => {
    const { tenant, owner } = await ownerSignedIn();
    const file = await uploadWithKey(world, tenant, 'target.jpg', await solidJpeg(40, 30, [200, 200, 10]));

    // Another origin on the same site (127.0.0.1, another port): the browser sends the SameSite cookie with it,
    // so only the server's Origin and token checks stand between this page and the user's files.
    const evil = createServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><form id="f" method="POST" action="${world.baseUrl}/app/api/auth/logout-all"></form>
<script>
fetch(${JSON.stringify(`${world.baseUrl}/app/api/v1/files/batch/deleteByFileIds`)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
  headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ fileIds: [${JSON.stringify(file.fileId)}] }) })
  .finally(() => { document.title = 'sent'; });
</script>`);
    });
    servers.push(evil);
    await new Promise<void>((done) => evil.listen(0, '127.0.0.1', done));
    const evilUrl = `http://127.0.0.1:${(evil.address() as { port: number }).port}/`;

    const page = await owner.context.newPage();
    const seen: { url: string; status: number }[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(world.baseUrl)) seen.push({ url: r.url(), status: r.status() });
    });
    await page.goto(evilUrl);
    await page.waitForFunction(() => document.title === 'sent');
    const submitted = page.waitForNavigation();
    await page.$eval('#f', (form) => (form as HTMLFormElement).submit());
    const answer = await submitted;
    expect(answer!.status()).toBe(403);
    expect(seen.find((r) => r.url.endsWith('/deleteByFileIds'))?.status).toBe(403);

    // Nothing happened: the file is there and the owner is still signed in.
    expect((await fetch(`${world.baseUrl}/v1/files/${file.fileId}/details`, { headers: keyAuth(tenant.privateKey) })).status).toBe(200);
    expect((await callFromPage(owner.page, 'GET', '/app/api/auth/session')).status).toBe(200);

    // From the dashboard's own origin, a write without the session's token is refused too.
    const tokenless = await owner.page.evaluate(async (id) => {
      const res = await fetch('/app/api/v1/files/batch/deleteByFileIds', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fileIds: [id] }) });
      return res.status;
    }, file.fileId);
    expect(tokenless).toBe(403);
    expect((await fetch(`${world.baseUrl}/v1/files/${file.fileId}/details`, { headers: keyAuth(tenant.privateKey) })).status).toBe(200);
  });

  it('resets a forgotten password from the emailed link, signing the old sessions out', async () => {
    const { tenant, owner, email } = await ownerSignedIn();
    const { page } = await open();
    await page.goto(`${world.baseUrl}/app/reset`);
    await page.waitForSelector('form#reset');
    await fill(page, 'form#reset input[name=tenant]', tenant.id);
    await fill(page, 'form#reset input[name=email]', email);
    await page.click('form#reset button[type=submit]');
    await page.waitForSelector('#reset-done');

    await page.goto(linkIn(await waitForMail(world, email, /Reset your/)));
    await page.waitForSelector('form#reset input[name=password]');
    const renewed = `${PASSWORD} renewed`;
    await fill(page, 'form#reset input[name=password]', renewed);
    await page.click('form#reset button[type=submit]');
    await page.waitForSelector('#reset-done');
    expect((await callFromPage(owner.page, 'GET', '/app/api/v1/files')).status).toBe(401);

    await page.click('.auth button');
    await page.waitForSelector('form#login');
    await fill(page, 'form#login input[name=tenant]', tenant.id);
    await fill(page, 'form#login input[name=email]', email);
    await fill(page, 'form#login input[name=password]', PASSWORD);
    await page.click('form#login button[type=submit]');
    await page.waitForSelector('form#login .error[data-status="401"]');
    await signIn(page, world, tenant.id, email, renewed);
  });
});
