/**
 * Tenant API helpers: a tenant with an API key made directly in storage (config + KV index entry, as the key
 * routes would), and calls to the origins, URL-endpoints and named-transformations routes over HTTP.
 */
import { env, SELF } from 'cloudflare:test';
import { encryptSecret, sha256Hex } from '../../src/security/crypto';
import {
  FULL_ACCESS,
  generateKey,
  type KeyIndexEntry,
  type Permissions,
  privateKeyIndex,
  publicKeyIndex,
} from '../../src/security/keys';
import { defaultTenantConfig } from '../../src/tenants/config';
import { forgetTenant, readTenantFresh, saveTenant } from '../../src/tenants/store';
import { ORIGIN, newTenant, type TenantOverrides } from './helpers';

export interface TenantWithKey {
  tenantId: string;
  keyId: string;
  privateKey: string;
  publicKey: string;
  /** `Authorization: Basic …` with the private key as username. */
  auth: Record<string, string>;
}

/** Fixed values instead of random ones, for URLs signed ahead of time (test/sdk/global-setup.ts). */
export interface FixedKey {
  /** Create the tenant under this id (it must not exist yet) instead of a fresh random one. */
  tenantId?: string;
  /** Use this private key instead of a generated one. */
  privateKey?: string;
}

/** A fresh tenant plus one API key (full access unless told otherwise). */
export async function newTenantWithKey(
  permissions: Permissions = FULL_ACCESS,
  overrides: TenantOverrides = {},
  fixed: FixedKey = {},
): Promise<TenantWithKey> {
  const tenantId = fixed.tenantId ? await newTenantWithId(fixed.tenantId, overrides) : await newTenant(overrides);
  const key = await addKey(tenantId, permissions, fixed.privateKey);
  return { tenantId, ...key };
}

async function newTenantWithId(id: string, overrides: TenantOverrides): Promise<string> {
  const base = defaultTenantConfig(id);
  const settings = { ...base.settings, ...overrides, limits: { ...base.settings.limits, ...overrides.limits } };
  await saveTenant(env, { ...base, settings });
  forgetTenant(id);
  return id;
}

/**
 * Adds a key to an existing tenant: the record in its config and the KV entries from the key's hash and public
 * key. `fixedPrivateKey` replaces the generated private key (its ciphertext and hash are made for it).
 */
export async function addKey(
  tenantId: string,
  permissions: Permissions = FULL_ACCESS,
  fixedPrivateKey?: string,
): Promise<Omit<TenantWithKey, 'tenantId'>> {
  const generated = await generateKey(env.MASTER_KEY, tenantId, 'test key', permissions);
  const { record } = generated;
  const privateKey = fixedPrivateKey ?? generated.privateKey;
  if (fixedPrivateKey) {
    record.privateKeyCiphertext = await encryptSecret(env.MASTER_KEY, privateKey, tenantId);
    record.privateKeyHash = await sha256Hex(privateKey);
  }
  const config = await readTenantFresh(env, tenantId);
  if (!config) throw new Error(`no tenant ${tenantId}`);
  config.keys.push(record);
  await saveTenant(env, config);
  forgetTenant(tenantId);
  const entry: KeyIndexEntry = { tenantId, keyId: record.id };
  await env.CONFIG.put(privateKeyIndex(record.privateKeyHash), JSON.stringify(entry));
  await env.CONFIG.put(publicKeyIndex(record.publicKey), JSON.stringify(entry));
  return { keyId: record.id, privateKey, publicKey: record.publicKey, auth: { Authorization: basicAuth(privateKey) } };
}

/** The `Authorization` value ImageKit's SDKs send: Basic with the private key as username, empty password. */
export function basicAuth(privateKey: string): string {
  return `Basic ${btoa(`${privateKey}:`)}`;
}

export async function callApi(
  auth: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = { ...auth };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const request = new Request(`${ORIGIN}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return SELF.fetch(request);
}

/** `fetch` into the Worker, for an SDK's `fetch` option (`new ImageKit({ baseURL: ORIGIN, fetch: apiFetch })`). */
export async function apiFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return SELF.fetch(new Request(input, init));
}
