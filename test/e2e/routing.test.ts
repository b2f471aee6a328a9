/**
 * Asset routing as a browser meets it under `wrangler dev` (the vitest pool cannot show it): the dashboard
 * answers only under /app/, never for an image or API URL opened in a tab, and its CSP holds in the browser.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser';
import { createTenant, solidJpeg, uploadWithKey } from './tenant';

const { world, open } = useBrowser();

describe('routing in a browser tab', () => {
  it('shows the dashboard for /app/ and any path under it', async () => {
    const { page, problems } = await open();
    // Revalidation answers 304 to a cached page; every visit here should be a full answer.
    await page.setCacheEnabled(false);
    for (const path of ['/app/', '/app/anything/deep?x=1', '/app']) {
      const response = await page.goto(`${world.baseUrl}${path}`);
      expect(response!.status(), path).toBe(200);
      expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.waitForSelector('form#login');
      expect(new URL(page.url()).pathname.startsWith('/app/')).toBe(true);
    }
    expect(problems).toEqual([]);
  });

  it('opens an image URL as the image and an API URL as JSON, not as the dashboard', async () => {
    const tenant = await createTenant(world);
    const file = await uploadWithKey(world, tenant, 'red.jpg', await solidJpeg(64, 48, [220, 20, 20]));
    const { page } = await open();

    const image = await page.goto(`${file.url}?tr=w-32`);
    expect(image!.status()).toBe(200);
    expect(image!.headers()['content-type']).toMatch(/^image\//);
    expect(await page.$('#root')).toBeNull();
    const size = await page.$eval('img', (img) => [img.naturalWidth, img.naturalHeight]);
    expect(size).toEqual([32, 24]);

    const missing = await page.goto(`${world.baseUrl}/${tenant.id}/no/such/photo.jpg`);
    expect(missing!.status()).toBe(404);
    expect(await page.$('#root')).toBeNull();

    const api = await page.goto(`${world.baseUrl}/v1/files`);
    expect(api!.status()).toBe(401);
    expect(api!.headers()['content-type']).toMatch(/json/);
    expect(await page.$('#root')).toBeNull();

    const appApi = await page.goto(`${world.baseUrl}/app/api/v1/no-such-route`);
    expect(appApi!.headers()['content-type']).toMatch(/json/);
    expect(await page.$('#root')).toBeNull();
  });

  it('runs no script the page did not load from its own origin', async () => {
    const { page } = await open();
    await page.goto(`${world.baseUrl}/app/`);
    await page.waitForSelector('form#login');
    expect(await page.$$eval('script:not([src])', (s) => s.length)).toBe(0);
    const violations = await page.evaluate(async () => {
      const seen: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return { seen, ran: (window as unknown as { injected?: boolean }).injected === true };
    });
    expect(violations.ran).toBe(false);
    expect(violations.seen.join()).toMatch(/script-src/);
  });
});
