/** Media library tests drive the Worker through the official `@imagekit/nodejs` SDK, routed into SELF. */
import { env } from 'cloudflare:test';
import ImageKit from '@imagekit/nodejs';
import type { DeliveryRecord } from '../../src/durable/media-library';
import { libraryOf } from '../../src/library/client';
import { apiFetch, callApi, newTenantWithKey, type TenantWithKey } from './api-helpers';
import { ORIGIN } from './helpers';

/** An SDK client for a tenant's key, pointed at the Worker under test (no retries, so statuses stay visible). */
export function sdkFor(privateKey: string): ImageKit {
  return new ImageKit({ privateKey, baseURL: ORIGIN, fetch: apiFetch as typeof fetch, maxRetries: 0 });
}

export interface LibraryTenant extends TenantWithKey {
  client: ImageKit;
  /** Where the tenant's files are delivered: `http://edgepix.test/<tenant>`. */
  endpoint: string;
}

export async function newLibraryTenant(...args: Parameters<typeof newTenantWithKey>): Promise<LibraryTenant> {
  const tenant = await newTenantWithKey(...args);
  return { ...tenant, client: sdkFor(tenant.privateKey), endpoint: `${ORIGIN}/${tenant.tenantId}` };
}

/** The status of an SDK call that is expected to fail (the SDK throws APIError subclasses with `status`). */
export async function failure(call: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  try {
    await call;
  } catch (error) {
    const e = error as { status?: number; error?: Record<string, unknown>; headers?: Headers };
    if (typeof e.status === 'number') return { status: e.status, body: e.error ?? {}, headers: e.headers ?? new Headers() };
    throw error;
  }
  throw new Error('the call succeeded but a failure was expected');
}

/** The tenant's audit log as `action target` lines, oldest first (the key needs `audit: read`). */
export async function auditTrail(tenant: TenantWithKey): Promise<string[]> {
  const res = await callApi(tenant.auth, 'GET', '/v1/accounts/audit-logs?limit=200');
  const page = (await res.json()) as { entries: { action: string; target: string }[] };
  return page.entries.map((e) => `${e.action} ${e.target}`);
}

/** The published file at `path` (`/a/b.jpg`) as delivery finds it (ids of the file and its current version), or null. */
export function fileAt(tenantId: string, path: string): Promise<DeliveryRecord | null> {
  return libraryOf(env, tenantId).lookup(path);
}
