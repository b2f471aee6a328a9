/**
 * The owner's insight pages: a blocking rule added (with an expiry) and removed in the page, governing delivery;
 * then the analytics page drawing those deliveries — charts with the requests and the refusal, the top path, CSV.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser';
import { acceptInvitation, fill, signIn } from './people';
import { createTenant, solidJpeg, uploadWithKey } from './tenant';

const { world, open } = useBrowser();
const basic = (key: string) => ({ Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

describe('the insight pages', () => {
  it('add and remove a blocking rule, then chart the deliveries and their top path', async () => {
    const email = `insights-${Date.now()}@example.com`;
    const tenant = await createTenant(world, { owner: { email, name: 'Ada' } });
    await uploadWithKey(world, tenant, 'photo.jpg', await solidJpeg(90, 60, [200, 90, 20]), { useUniqueFileName: 'false' });
    await uploadWithKey(world, tenant, 'other.jpg', await solidJpeg(90, 60, [20, 90, 200]), { useUniqueFileName: 'false' });
    const url = `${world.baseUrl}/${tenant.id}/tr:w-40/photo.jpg`;
    for (let i = 0; i < 3; i++) expect((await fetch(url)).status).toBe(200);
    expect((await fetch(`${world.baseUrl}/${tenant.id}/other.jpg`)).status).toBe(200);
    expect((await fetch(`${world.baseUrl}/${tenant.id}/missing.jpg`)).status).toBe(404);
    const { page, problems } = await open();
    // The dashboard's own previews (the library's thumbnails) are deliveries too: counted, so the totals are exact.
    const pageDeliveries: string[] = [];
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith(`/${tenant.id}/`) && !r.fromCache()) pageDeliveries.push(path);
    });
    await acceptInvitation(page, world, email, 'Ada');
    await signIn(page, world, tenant.id, email);

    // Blocking rules: one added with an expiry blocks what it names, a bad one is refused, the deleted one stops.
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
    const [stored] = (await (await fetch(`${world.baseUrl}/v1/accounts/blocking-rules`, { headers: basic(tenant.privateKey) })).json()) as { expiresAt: string }[];
    // "in 1 day", give or take the test's own minutes.
    expect(Math.abs(Date.parse(stored!.expiresAt) - Date.now() - 86_400_000)).toBeLessThan(600_000);

    const blocked = await fetch(url);
    expect(blocked.status).toBe(403);
    expect(((await blocked.json()) as { rule: string }).rule).toBe(id);
    expect((await fetch(`${world.baseUrl}/${tenant.id}/tr:w-60/photo.jpg`)).status).toBe(200);

    await fill(page, '#rule-form input[name=path]', '/leading');
    await page.click('#rule-form button');
    await page.waitForSelector('p.error[data-status="400"]');
    expect(await page.$eval('p.error[data-status="400"]', (e) => e.textContent)).toContain('"path"');
    expect(await page.$$eval('#blocking-rules tr[data-rule]', (rows) => rows.length)).toBe(1);

    await page.click(`tr[data-rule="${id}"] button.danger`);
    await page.waitForSelector('#no-rules');
    expect((await fetch(url)).status).toBe(200);

    // Analytics: 8 deliveries of the test's own (one missing, one refused) and the page's, photo.jpg the top path.
    // Events arrive after their responses.
    await page.click('a[data-page="/app/analytics"]');
    const requests = 8 + pageDeliveries.length;
    const photoRequests = 6 + pageDeliveries.filter((path) => path.endsWith('/photo.jpg')).length;
    await page.waitForSelector('#chart-requests');
    const totals = async () => {
      await page.click('#analytics-refresh');
      await page.waitForSelector('.charts[aria-busy="false"]');
      return page.$$eval('.chart', (charts) => Object.fromEntries(charts.map((c) => [c.id, Number(c.getAttribute('data-total'))])));
    };
    let charted = await totals();
    for (let attempt = 0; attempt < 20 && charted['chart-requests']! < requests; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      charted = await totals();
    }
    expect(charted).toMatchObject({ 'chart-requests': requests, 'chart-refusals': 1, 'chart-errors': 1 });
    expect(charted['chart-bandwidth']).toBeGreaterThan(0);
    // The bars hold the numbers the totals say (one hour's bar, or two across an hour's end).
    const bars = await page.$$eval('#chart-requests rect.bar', (rects) => rects.map((r) => Number(r.getAttribute('data-value'))));
    expect(bars.reduce((sum, n) => sum + n, 0)).toBe(requests);
    expect(Math.max(...bars)).toBeGreaterThan(0);
    await page.select('#analytics-range select[name=granularity]', 'day');
    await page.waitForFunction(() => document.querySelectorAll('#chart-requests rect.bar').length <= 8);
    await page.waitForSelector('#top-table tbody tr');
    expect(await page.$eval('#top-table tbody tr', (row) => [row.getAttribute('data-value'), row.querySelector('.count')!.textContent])).toEqual(['photo.jpg', String(photoRequests)]);

    // The CSV link answers CSV of the same series, through the session.
    const href = await page.$eval('#series-csv', (a) => (a as HTMLAnchorElement).href);
    const csv = await page.evaluate(async (link) => (await fetch(link)).text(), href);
    expect(csv.split('\n')[0]).toBe('start,requests,bandwidth,errors,refusals');
    expect(problems).toEqual([]);
  });
});
