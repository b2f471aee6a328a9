/**
 * The prober's canary: a tenant of the platform's own, created through the operator API on the prober's first
 * run, holding two small PNGs it uploads through the upload API. The board remembers that the prober made it,
 * so a tenant an operator made under the same id is never taken over. Its private key is read back from the
 * tenant's config (stored encrypted under MASTER_KEY, as every key is), never kept anywhere else.
 */
import type { Env } from '../env';
import { decryptSecret } from '../security/crypto';
import { loadTenant } from '../tenants/store';
import { statusBoard } from './board';
import { canaryPng } from './canary-image';

export const DEFAULT_CANARY_TENANT = 'status-canary';
/** Delivered with a fixed transformation, so it is normally a cache hit: the delivery probe. */
export const DELIVERY_FILE = 'status/canary.png';
/** Delivered with a new transformation every run, so it is always a miss: the transformations probe. */
export const TRANSFORM_FILE = 'status/transform.png';

export type Call = (request: Request) => Promise<Response>;

export interface Canary {
  tenantId: string;
  privateKey: string;
}

export const basicAuth = (privateKey: string) => `Basic ${btoa(`${privateKey}:`)}`;

/** The canary, created (and its files uploaded) when it does not exist yet. */
export async function ensureCanary(env: Env, call: Call, origin: string): Promise<Canary> {
  const tenantId = env.STATUS_CANARY_TENANT || DEFAULT_CANARY_TENANT;
  const board = statusBoard(env);
  const tenant = await loadTenant(env, tenantId);
  const ours = (await board.getMeta('canary')) === tenantId;
  if (tenant && !ours) throw new Error(`tenant "${tenantId}" was not made by the prober; set STATUS_CANARY_TENANT to a free id`);
  if (!tenant) return createCanary(env, call, origin, tenantId);
  const key = tenant.keys.find((k) => k.expiresAt === null);
  if (!key) throw new Error(`the canary tenant "${tenantId}" has no API key`);
  return { tenantId, privateKey: await decryptSecret(env.MASTER_KEY, key.privateKeyCiphertext, tenantId) };
}

async function createCanary(env: Env, call: Call, origin: string, tenantId: string): Promise<Canary> {
  const response = await call(
    new Request(`${origin}/admin/v1/tenants`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.PLATFORM_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: tenantId }),
    }),
  );
  if (response.status !== 201) throw new Error(`creating the canary tenant "${tenantId}": HTTP ${response.status}`);
  const { privateKey } = (await response.json()) as { privateKey: string };
  await statusBoard(env).setMeta('canary', tenantId);
  const canary = { tenantId, privateKey };
  await seedCanaryFiles(call, origin, canary);
  return canary;
}

/** Uploads (or uploads again) the files the delivery and transformation probes ask for. */
export async function seedCanaryFiles(call: Call, origin: string, canary: Canary): Promise<void> {
  for (const path of [DELIVERY_FILE, TRANSFORM_FILE]) {
    const response = await call(uploadRequest(origin, canary, path));
    if (response.status !== 200) throw new Error(`uploading the canary's ${path}: HTTP ${response.status}`);
  }
}

/** An ImageKit upload of the canary PNG to `path`, replacing any file there. */
export function uploadRequest(origin: string, canary: Canary, path: string): Request {
  const slash = path.lastIndexOf('/');
  const form = new FormData();
  form.set('file', new Blob([canaryPng()], { type: 'image/png' }), path.slice(slash + 1));
  form.set('fileName', path.slice(slash + 1));
  form.set('folder', `/${path.slice(0, slash)}`);
  form.set('useUniqueFileName', 'false');
  form.set('overwriteFile', 'true');
  return new Request(`${origin}/api/v1/files/upload`, { method: 'POST', headers: { Authorization: basicAuth(canary.privateKey) }, body: form });
}
