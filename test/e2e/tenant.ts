/** The operator and key-authenticated API, from Node, to set up what the browser tests then look at. */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { E2eWorld } from './provided';

export interface Tenant {
  id: string;
  privateKey: string;
}

export async function createTenant(world: E2eWorld, body: Record<string, unknown> = {}): Promise<Tenant & Record<string, unknown>> {
  const id = `e2e-${randomBytes(4).toString('hex')}`;
  const res = await fetch(`${world.baseUrl}/admin/v1/tenants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${world.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id, ...body }),
  });
  if (res.status !== 201) throw new Error(`creating a tenant: ${res.status} ${await res.text()}`);
  return (await res.json()) as Tenant & Record<string, unknown>;
}

/** A solid-colour JPEG, so a test can tell versions apart by their pixels. */
export const solidJpeg = (width: number, height: number, rgb: [number, number, number]) =>
  sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).jpeg({ quality: 90 }).toBuffer();

export async function uploadWithKey(world: E2eWorld, tenant: Tenant, name: string, bytes: Buffer, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  form.set('fileName', name);
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const res = await fetch(`${world.baseUrl}/api/v1/files/upload`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${tenant.privateKey}:`).toString('base64')}` },
    body: form,
  });
  if (res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as { fileId: string; url: string; filePath: string; name: string };
}
