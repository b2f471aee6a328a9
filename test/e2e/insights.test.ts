/**
 * The owner's insight pages: blocking rules added and removed in the page, and the delivery they govern.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser';
import { acceptInvitation, fill, signIn } from './people';
import { createTenant, solidJpeg, uploadWithKey } from './tenant';

const { world, open } = useBrowser();

describe('the insight pages', () => {
  it('add a blocking rule with an expiry that blocks delivery, then remove it', async () => {
    const email = `insights-${Date.now()}@example.com`;
    const tenant = await createTenant(world, { owner: { email, name: 'Ada' } });
    await uploadWithKey(world, tenant, 'photo.jpg', await solidJpeg(90, 60, [200, 90, 20]), { useUniqueFileName: 'false' });
    const url = `${world.baseUrl}/${tenant.id}/tr:w-40/photo.jpg`;
    expect((await fetch(url)).status).toBe(200);
    const { page, problems } = await open();
    await acceptInvitation(page, world, email, 'Ada');
    await signIn(page, world, tenant.id, email);

    await page.click('a[data-page="/app/blocking"]');
    await page.waitForSelector('#no-rules');
    await fill(page, '#rule-form input[name=path]', '*.jpg');
    await fill(page, '#rule-form input[name=param]', 'w');
    await page.select('#rule-form select[name=test]', 'below');
    await fill(page, '#rule-form input[name=value]', '50');
    await fill(page, '#rule-form input[name=note]', 'thumbnails leak');
    await page.select('#rule-form select[name=expiry]', '2');
    await page.click('#rule-form button');
    await page.waitForSelector('#blocking-rules tr[data-rule]');
    const id = await page.$eval('#blocking-rules tr[data-rule]', (row) => row.getAttribute('data-rule')!);
    expect(await page.$eval(`tr[data-rule="${id}"] .conditions`, (cell) => cell.textContent)).toBe('path *.jpg and w < 50');
    const [stored] = (await (await fetch(`${world.baseUrl}/v1/accounts/blocking-rules`, {
      headers: { Authorization: `Basic ${Buffer.from(`${tenant.privateKey}:`).toString('base64')}` },
    })).json()) as { expiresAt: string }[];
    // "in 1 day", give or take the test's own minutes.
    expect(Math.abs(Date.parse(stored!.expiresAt) - Date.now() - 86_400_000)).toBeLessThan(600_000);

    const blocked = await fetch(url);
    expect(blocked.status).toBe(403);
    expect(((await blocked.json()) as { rule: string }).rule).toBe(id);
    expect((await fetch(`${world.baseUrl}/${tenant.id}/tr:w-60/photo.jpg`)).status).toBe(200);

    // A bad pattern is refused with the API's words, and nothing is added.
    await fill(page, '#rule-form input[name=path]', '/leading');
    await page.click('#rule-form button');
    await page.waitForSelector('p.error[data-status="400"]');
    expect(await page.$eval('p.error[data-status="400"]', (e) => e.textContent)).toContain('"path"');
    expect(await page.$$eval('#blocking-rules tr[data-rule]', (rows) => rows.length)).toBe(1);

    await page.click(`tr[data-rule="${id}"] button.danger`);
    await page.waitForSelector('#no-rules');
    expect((await fetch(url)).status).toBe(200);
    expect(problems).toEqual([]);
  });
});
