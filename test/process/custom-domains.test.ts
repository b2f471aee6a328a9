/**
 * Tenants' own hostnames under `wrangler dev`, which hands the request's Host header to the Worker as the URL's
 * host: a request for `img.<tenant>.test` is that tenant's, with no tenant segment; other hosts are not.
 */
import { request as httpRequest } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecrets, WranglerDev } from './wrangler-dev';

const PHOTO = new URL('../fixtures/images/generated/photo-1000x800.jpg', import.meta.url);

let dev: WranglerDev;
let stateDir: string;
const secrets = newSecrets();
const admin = { Authorization: `Bearer ${secrets.PLATFORM_ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

/** GET with a Host header of our choosing (fetch will not send one). */
function getWithHost(host: string, path: string): Promise<{ status: number; body: Buffer }> {
  const { hostname, port } = new URL(dev.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, headers: { Host: host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function tenantWithPhoto(id: string): Promise<void> {
  const created = await fetch(`${dev.url}/admin/v1/tenants`, { method: 'POST', headers: admin, body: JSON.stringify({ id }) });
  const { privateKey } = (await created.json()) as { privateKey: string };
  const form = new FormData();
  form.set('file', new Blob([await readFile(PHOTO)], { type: 'image/jpeg' }), 'photo.jpg');
  form.set('fileName', 'photo.jpg');
  form.set('useUniqueFileName', 'false');
  const auth = { Authorization: `Basic ${Buffer.from(`${privateKey}:`).toString('base64')}` };
  expect((await fetch(`${dev.url}/api/v1/files/upload`, { method: 'POST', headers: auth, body: form })).status).toBe(200);
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'edgepix-domains-'));
  dev = new WranglerDev(stateDir, secrets);
  await dev.start();
  await tenantWithPhoto('acme');
  const attached = await fetch(`${dev.url}/admin/v1/tenants/acme/domains`, { method: 'POST', headers: admin, body: JSON.stringify({ hostname: 'img.acme.test' }) });
  expect(attached.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await dev?.kill();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('a tenant\'s own hostname under wrangler dev', () => {
  it('serves the tenant\'s files by Host, transformed or not', async () => {
    const plain = await getWithHost('img.acme.test', '/photo.jpg');
    expect(plain.status).toBe(200);
    expect((await sharp(plain.body).metadata()).width).toBe(1000);
    const small = await getWithHost('img.acme.test', '/tr:w-120/photo.jpg');
    expect(small.status).toBe(200);
    expect((await sharp(small.body).metadata()).width).toBe(120);
  });

  it('serves nothing of the tenant on another host, and keeps the shared form', async () => {
    expect((await getWithHost('img.other.test', '/photo.jpg')).status).not.toBe(200);
    expect((await getWithHost('img.acme.test', '/acme/photo.jpg')).status).toBe(404);
    const shared = await fetch(`${dev.url}/acme/tr:w-80/photo.jpg`);
    expect(shared.status).toBe(200);
    expect((await sharp(Buffer.from(await shared.arrayBuffer())).metadata()).width).toBe(80);
  });
});
