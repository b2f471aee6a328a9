/**
 * The whole path of a new person: invited by the operator → accepts the emailed link and sets a password →
 * signs in with the emailed code → uploads (file picker with progress bars, and drag and drop) → searches →
 * restores an older version → deletes; and the audit log shows it all under their user id, its chain intact.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from './browser';
import { acceptInvitation, fill, signIn } from './people';
import { createTenant, solidJpeg } from './tenant';

const { world, open } = useBrowser();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgepix-e2e-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileOnDisk(name: string, bytes: Buffer, sub = ''): Promise<string> {
  const folder = join(dir, sub);
  await mkdir(folder, { recursive: true });
  const path = join(folder, name);
  await writeFile(path, bytes);
  return path;
}

/** The mean colour of what a URL delivers. */
async function meanColour(url: string): Promise<number[]> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const { channels } = await sharp(Buffer.from(await res.arrayBuffer())).stats();
  return channels.slice(0, 3).map((c) => Math.round(c.mean));
}

const cellNames = (page: import('puppeteer-core').Page) => page.$$eval('.grid .cell', (cells) => cells.map((c) => (c as HTMLElement).dataset.name).sort());

describe('a new owner in the media library', () => {
  it('is invited, signs in with the emailed code, uploads, searches, restores a version and deletes', async () => {
    const email = `owner-${Date.now()}@example.com`;
    const tenant = await createTenant(world, { owner: { email, name: 'Olive Owner' } });
    const { page, problems } = await open();
    await acceptInvitation(page, world, email, 'Olive Owner');
    expect(await page.$eval('form#login input[name=tenant]', (i) => (i as HTMLInputElement).value)).toBe(tenant.id);
    await signIn(page, world, tenant.id, email);
    expect(await page.$eval('#whoami', (e) => e.textContent)).toBe(email);
    await page.waitForSelector('#list-status');

    // A large upload through the file picker: its bar reports the bytes sent before the server answers.
    const noise = await sharp({ create: { width: 1400, height: 1000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 70 } } }).jpeg({ quality: 95 }).toBuffer();
    await page.evaluate(() => {
      const seen: [string, number, number][] = [];
      (window as unknown as { progress: typeof seen }).progress = seen;
      setInterval(() => {
        for (const li of document.querySelectorAll<HTMLElement>('.uploads li')) {
          const bar = li.querySelector('progress')!;
          seen.push([li.dataset.state!, bar.value, bar.max]);
        }
      }, 5);
    });
    const picker = await page.$('#upload-input');
    // Loopback sends the file in an instant; a user's uplink (1 MB/s here) gives the bar time to move.
    await page.emulateNetworkConditions({ download: -1, upload: 1024 * 1024, latency: 0 });
    await (picker as import('puppeteer-core').ElementHandle<HTMLInputElement>).uploadFile(await fileOnDisk('noise.jpg', noise));
    await page.waitForSelector('.uploads li[data-upload="noise.jpg"][data-state="done"]', { timeout: 30_000 });
    await page.emulateNetworkConditions(null);
    const progress = await page.evaluate(() => (window as unknown as { progress: [string, number, number][] }).progress);
    const sending = progress.filter(([state, value]) => state === 'uploading' && value > 0);
    // The bar moved through partial values while the bytes went out, never backwards.
    expect(sending.some(([, value, max]) => value < max && max >= noise.length)).toBe(true);
    expect(sending.every(([, value], i) => i === 0 || value >= sending[i - 1]![1])).toBe(true);

    // Two versions of one name ("Same name: new version"), the second dropped onto the library.
    await page.click('input[name=keep-names]');
    await (picker as import('puppeteer-core').ElementHandle<HTMLInputElement>).uploadFile(await fileOnDisk('sunset.jpg', await solidJpeg(120, 80, [230, 30, 30]), 'red'));
    await page.waitForSelector('.uploads li[data-upload="sunset.jpg"][data-state="done"]');
    const blue = (await solidJpeg(120, 80, [30, 30, 230])).toString('base64');
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'sunset.jpg', { type: 'image/jpeg' }));
      document.querySelector('.dropzone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, blue);
    await page.waitForFunction(() => document.querySelectorAll('.uploads li[data-upload="sunset.jpg"][data-state="done"]').length === 2);
    await page.waitForFunction(() => document.querySelectorAll('.grid .cell').length === 2);
    // The picked file got a unique suffix; the versioned one kept its name.
    expect(await cellNames(page)).toEqual([expect.stringMatching(/^noise_\w+\.jpg$/), 'sunset.jpg']);
    // Thumbnails are delivered images (tr:n-ik_ml_thumbnail), decoded by the browser.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.grid img')].every((img) => img.complete && img.naturalWidth > 0));

    // Search in ImageKit's query language.
    await fill(page, 'form.search input[name=q]', 'name : "sun"');
    await page.click('form.search button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('.grid .cell').length === 1);
    expect(await cellNames(page)).toEqual(['sunset.jpg']);

    // The details show the current (blue) version; restoring version 1 brings red back.
    await page.click('.grid .cell[data-name="sunset.jpg"] .thumb');
    await page.waitForSelector('.details #detail-dimensions');
    expect(await page.$eval('#detail-dimensions', (e) => e.textContent)).toBe('120 × 80');
    expect(await page.$eval('#detail-version', (e) => e.textContent)).toBe('Version 2');
    const fileId = await page.$eval('.details', (e) => (e as HTMLElement).dataset.fileId!);
    const url = `${world.baseUrl}/${tenant.id}/sunset.jpg`;
    const [r2, , b2] = await meanColour(url);
    expect(b2).toBeGreaterThan(r2! + 100);
    await page.click('.details button[data-tab=versions]');
    await page.waitForSelector('.versions li[data-version="Version 1"] button[data-action=restore]');
    await page.click('.versions li[data-version="Version 1"] button[data-action=restore]');
    await page.waitForFunction(() => document.querySelector('.versions li.current')?.getAttribute('data-version') === 'Version 1');
    const [r1, , b1] = await meanColour(url);
    expect(r1).toBeGreaterThan(b1! + 100);

    // Delete it from the selection; the server no longer has it.
    await page.click('.grid .cell[data-name="sunset.jpg"] input[type=checkbox]');
    await page.click('#bulk-delete');
    await page.waitForFunction(() => document.querySelectorAll('.grid .cell').length === 0);
    const gone = await fetch(`${world.baseUrl}/v1/files/${fileId}/details`, { headers: { Authorization: `Basic ${Buffer.from(`${tenant.privateKey}:`).toString('base64')}` } });
    expect(gone.status).toBe(404);

    // Every step is in the audit log under this user, and the chain verifies.
    await page.click('a[data-page="/app/audit"]');
    await page.click('#audit-search');
    await page.waitForSelector('tr[data-action="file.upload"]');
    const rows = await page.$$eval('table.audit tbody tr', (trs) => trs.map((r) => [(r as HTMLElement).dataset.action!, r.querySelector('code')!.textContent!]));
    const fileRows = rows.filter(([action]) => /^file/.test(action));
    expect(fileRows.map(([action]) => action)).toEqual(['file.upload', 'file.upload', 'file.upload', 'file-version.restore', 'file.bulk-delete']);
    const userId = rows.find(([action]) => action === 'auth.login')![1];
    expect(userId).toMatch(/^user:usr_/);
    for (const [, actor] of fileRows) expect(actor).toBe(userId);
    await page.click('#verify-chain');
    await page.waitForSelector('#chain-verdict.ok');
    expect(problems).toEqual([]);
  });
});
