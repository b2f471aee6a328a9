/**
 * The owner's other pages do what they show: settings saved to the server, a named transformation with its live
 * preview, an API key shown once and working, a signed URL for a private file, usage figures.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser';
import { acceptInvitation, fill, signIn } from './people';
import { createTenant, solidJpeg, uploadWithKey } from './tenant';

const { world, open } = useBrowser();
const basic = (key: string) => ({ Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

describe('the admin pages', () => {
  it('save settings, add a named transformation, create a key, sign a private URL and show usage', async () => {
    const email = `admin-${Date.now()}@example.com`;
    const tenant = await createTenant(world, { owner: { email, name: 'Ada' } });
    await uploadWithKey(world, tenant, 'private.jpg', await solidJpeg(90, 60, [20, 90, 200]), { isPrivateFile: 'true', useUniqueFileName: 'false' });
    await uploadWithKey(world, tenant, 'public.jpg', await solidJpeg(90, 60, [200, 90, 20]));
    const { page, problems } = await open();
    await acceptInvitation(page, world, email, 'Ada');
    await signIn(page, world, tenant.id, email);

    // Settings: an IP block list and a rate limit, saved through the API.
    await page.click('a[data-page="/app/settings"]');
    await page.waitForSelector('textarea[name=ipBlock]');
    await fill(page, 'textarea[name=ipBlock]', '198.51.100.7\n203.0.113.0/24');
    await fill(page, 'input[name=deliveryPerIpPerMinute]', '600');
    await page.click('#save-settings');
    await page.waitForSelector('#settings-saved');
    const settings = (await (await fetch(`${world.baseUrl}/v1/accounts/settings`, { headers: basic(tenant.privateKey) })).json()) as {
      access: { ipBlock: string[] };
      rateLimit: { deliveryPerIpPerMinute: number };
    };
    expect(settings.access.ipBlock).toEqual(['198.51.100.7', '203.0.113.0/24']);
    expect(settings.rateLimit.deliveryPerIpPerMinute).toBe(600);

    // A named transformation, previewed live on a public library image before it is saved.
    await fill(page, '#named-form input[name=name]', 'tiny');
    await fill(page, '#named-form input[name=transformation]', 'w-30,h-20');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#named-preview');
      return img?.src.includes('tr=w-30,h-20') && img.complete && img.naturalWidth === 30;
    });
    await page.click('#named-form button');
    await page.waitForSelector('tr[data-named=tiny]');

    // An API key: its private key shown once, and it works.
    await page.click('a[data-page="/app/api-keys"]');
    await fill(page, '#key-form input[name=name]', 'ci');
    await page.select('#key-form select[name=files]', 'read');
    await page.click('#key-form button');
    await page.waitForSelector('#new-private-key');
    const privateKey = await page.$eval('#new-private-key', (e) => e.textContent!);
    expect((await fetch(`${world.baseUrl}/v1/files`, { headers: basic(privateKey) })).status).toBe(200);
    expect((await fetch(`${world.baseUrl}/v1/accounts/settings`, { headers: basic(privateKey) })).status).toBe(403);
    await page.click('#new-key button.link');
    expect(await page.$('#new-private-key')).toBeNull();
    expect(await page.$$eval('tr[data-key=ci]', (rows) => rows.length)).toBe(1);

    // A signed URL for the private file, previewed in the page.
    await page.click('a[data-page="/app/"]');
    await page.waitForSelector('.grid .cell[data-name="private.jpg"]');
    await page.click('.grid .cell[data-name="private.jpg"] .thumb');
    await page.waitForSelector('.details button[data-tab=url]');
    await page.click('.details button[data-tab=url]');
    await page.waitForSelector('#sign-url');
    expect((await fetch(await page.$eval('#built-url', (e) => e.textContent!))).status).toBe(401);
    await page.click('#sign-url');
    await page.waitForFunction(() => document.querySelector('#built-url')?.textContent?.includes('ik-s='));
    const signed = await page.$eval('#built-url', (e) => e.textContent!);
    expect((await fetch(signed)).status).toBe(200);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#url-preview');
      return img?.src.includes('ik-s=') && img.complete && img.naturalWidth === 90;
    });

    // Usage: the stored bytes of the one file.
    await page.click('a[data-page="/app/usage"]');
    await page.waitForSelector('#usage-storage');
    expect(await page.$eval('#usage-storage', (e) => e.textContent)).toMatch(/^\d+(\.\d)? (B|KB)$/);
    expect(problems).toEqual([]);
  });
});
