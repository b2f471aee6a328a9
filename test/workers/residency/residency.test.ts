/**
 * Data residency: a tenant's bytes land only in its jurisdiction's bucket and its objects are its
 * jurisdiction's; the operator sets the jurisdiction once; while the home bucket fails, "closed" answers 503
 * and "open" reads a copy kept outside, shown in Server-Timing and audited. Locally each jurisdiction is its own
 * bucket (wrangler.toml) and its objects are addressed as `<name>@<jurisdiction>` (src/durable/jurisdiction.ts).
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import { fixtures } from '../../fixtures/registry';
import { ADMIN, api, createTenant, type CreatedTenant } from '../admin-helpers';
import { decodeResponse, fixtureBytes, ORIGIN } from '../helpers';

const admin = (path: string, init: RequestInit = {}) =>
  SELF.fetch(`${ORIGIN}${path}`, { ...init, headers: { ...ADMIN, 'Content-Type': 'application/json', ...(init.headers as object) } });

let counter = 0;
const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

async function createIn(jurisdiction: string, fallback = 'closed'): Promise<CreatedTenant> {
  const res = await admin('/admin/v1/tenants', { method: 'POST', body: JSON.stringify({ id: newId('res'), jurisdiction, fallback }) });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedTenant;
}

async function upload(tenant: CreatedTenant, name: string): Promise<{ fileId: string; filePath: string }> {
  const form = new FormData();
  form.append('file', new Blob([await fixtureBytes(fixtures.jpegBaseline.path)], { type: 'image/jpeg' }), name);
  form.append('fileName', name);
  form.append('useUniqueFileName', 'false');
  const res = await api(tenant.privateKey, '/api/v1/files/upload', { method: 'POST', body: form });
  expect(res.status).toBe(200);
  return (await res.json()) as { fileId: string; filePath: string };
}

/** Every key in `bucket` that belongs to the tenant (library files, variants, video job files all name it). */
async function keysOf(bucket: R2Bucket, tenantId: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ cursor });
    keys.push(...page.objects.map((o) => o.key).filter((key) => key.split('/').includes(tenantId)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

/** Variants are stored after the answer (waitUntil): polls until `bucket` holds the tenant's variants. */
async function variantsIn(bucket: R2Bucket, tenantId: string): Promise<string[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const variants = (await keysOf(bucket, tenantId)).filter((key) => key.startsWith(`variants/${tenantId}/`));
    if (variants.length > 0) return variants;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return [];
}

const buckets = () => ({ default: env.MEDIA, eu: env.MEDIA_EU!, fedramp: env.MEDIA_FEDRAMP! });

/** The audit entries of the tenant's log object in `jurisdiction`, read from the object itself. */
async function auditActions(tenantId: string, jurisdiction: 'default' | 'eu'): Promise<string[]> {
  const name = jurisdiction === 'default' ? tenantId : `${tenantId}@${jurisdiction}`;
  const log = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(name));
  const page = await log.list({ limit: 100 });
  return page.entries.map((e) => e.action);
}

describe('residency set by the operator', () => {
  it('defaults to the default jurisdiction, fail closed, and shows both', async () => {
    const created = await createTenant();
    const res = await admin(`/admin/v1/tenants/${created.id}`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.jurisdiction).toBe('default');
    expect(body.fallback).toBe('closed');
  });

  it('creates a tenant in a jurisdiction with a fallback policy', async () => {
    const created = await createIn('eu', 'open');
    const body = (await (await admin(`/admin/v1/tenants/${created.id}`)).json()) as Record<string, unknown>;
    expect([body.jurisdiction, body.fallback]).toEqual(['eu', 'open']);
  });

  it('refuses unknown jurisdictions and policies with a 400 naming the field', async () => {
    for (const [field, value] of [['jurisdiction', 'mars'], ['jurisdiction', 5], ['fallback', 'maybe'], ['jurisdiction', 'EU']] as const) {
      const res = await admin('/admin/v1/tenants', { method: 'POST', body: JSON.stringify({ id: newId('bad'), [field]: value }) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(`"${field}"`);
    }
  });

  it('never moves a tenant: asking for another jurisdiction is a 409 that explains export and re-import', async () => {
    const created = await createIn('eu');
    const res = await admin('/admin/v1/tenants', { method: 'POST', body: JSON.stringify({ id: created.id, jurisdiction: 'default' }) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { help: string }).help).toMatch(/export.*create a tenant in the other jurisdiction/);
    const body = (await (await admin(`/admin/v1/tenants/${created.id}`)).json()) as Record<string, unknown>;
    expect(body.jurisdiction).toBe('eu');
  });
});

describe('where a tenant\'s data lands', () => {
  it('puts an eu tenant\'s files, variants, library and audit log only in the eu', async () => {
    const tenant = await createIn('eu');
    const file = await upload(tenant, 'eu.jpg');
    const res = await SELF.fetch(`${ORIGIN}/${tenant.id}/tr:w-100/eu.jpg`);
    expect(res.status).toBe(200);
    expect((await decodeResponse(res)).width).toBe(100);
    expect((await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { defaultQuality: 70 } })).status).toBe(200);

    const { default: main, eu, fedramp } = buckets();
    expect((await variantsIn(eu, tenant.id)).length).toBeGreaterThan(0);
    expect((await keysOf(eu, tenant.id)).some((key) => key.startsWith(`library/${tenant.id}/`))).toBe(true);
    expect(await keysOf(main, tenant.id)).toEqual([]);
    expect(await keysOf(fedramp, tenant.id)).toEqual([]);

    // The objects are the eu ones: the default objects of that name hold nothing.
    const euLibrary = env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(`${tenant.id}@eu`));
    expect((await euLibrary.lookup(file.filePath))?.fileId).toBe(file.fileId);
    expect(await env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(tenant.id)).lookup(file.filePath)).toBeNull();
    expect(await auditActions(tenant.id, 'eu')).toEqual(expect.arrayContaining(['tenant.create', 'file.upload', 'settings.update']));
    expect(await auditActions(tenant.id, 'default')).toEqual([]);
  });

  it('keeps a default tenant in the default bucket only', async () => {
    const tenant = await createTenant(newId('def'));
    await upload(tenant, 'd.jpg');
    expect((await SELF.fetch(`${ORIGIN}/${tenant.id}/tr:w-90/d.jpg`)).status).toBe(200);
    const { default: main, eu, fedramp } = buckets();
    expect((await variantsIn(main, tenant.id)).length).toBeGreaterThan(0);
    expect((await keysOf(main, tenant.id)).some((key) => key.startsWith(`library/${tenant.id}/`))).toBe(true);
    expect(await keysOf(eu, tenant.id)).toEqual([]);
    expect(await keysOf(fedramp, tenant.id)).toEqual([]);
    expect(await auditActions(tenant.id, 'default')).toContain('file.upload');
  });

  it('stores a large (multipart-staged) upload in the eu bucket, and refuses one whose account the form names only after the file', async () => {
    const tenant = await createIn('eu');
    // Over one spool part (8 MiB): its parts are written while the form still streams in.
    const bytes = new Uint8Array(9 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    const form = () => {
      const data = new FormData();
      data.append('file', new Blob([bytes], { type: 'application/octet-stream' }), 'big.bin');
      data.append('fileName', 'big.bin');
      return data;
    };
    const res = await api(tenant.privateKey, '/api/v1/files/upload', { method: 'POST', body: form() });
    expect(res.status).toBe(200);
    const euKeys = (await keysOf(env.MEDIA_EU!, tenant.id)).filter((key) => key.startsWith(`library/${tenant.id}/`));
    expect((await env.MEDIA_EU!.head(euKeys[0]!))?.size).toBe(bytes.length);
    expect(await keysOf(env.MEDIA, tenant.id)).toEqual([]);

    const clientSide = form();
    clientSide.append('publicKey', tenant.publicKey);
    const refused = await SELF.fetch(`${ORIGIN}/api/v1/files/upload`, { method: 'POST', body: clientSide });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/after the publicKey field/);
  });

  it('erases an eu tenant from the eu bucket and its eu objects', async () => {
    const tenant = await createIn('eu');
    await upload(tenant, 'gone.jpg');
    expect((await SELF.fetch(`${ORIGIN}/${tenant.id}/tr:w-50/gone.jpg`)).status).toBe(200);
    expect((await variantsIn(env.MEDIA_EU!, tenant.id)).length).toBeGreaterThan(0);

    expect((await admin(`/admin/v1/tenants/${tenant.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await keysOf(env.MEDIA_EU!, tenant.id)).toEqual([]);
    expect(await auditActions(tenant.id, 'eu')).toEqual([]);
  });
});

/** The eu bucket down: every call fails the way R2 reports its own failures. */
const failingBucket = new Proxy({} as R2Bucket, {
  get: () => async () => {
    throw new Error('get: We encountered an internal error. Please try again. (10001)');
  },
});

async function deliverWithEuDown(url: string): Promise<Response> {
  const exec = createExecutionContext();
  const res = await worker.fetch(new Request(url), { ...env, MEDIA_EU: failingBucket }, exec);
  await waitOnExecutionContext(exec);
  return res;
}

describe('while the home region is unreachable', () => {
  it('fails closed with a 503 naming the jurisdiction', async () => {
    const tenant = await createIn('eu', 'closed');
    await upload(tenant, 'c.jpg');
    const res = await deliverWithEuDown(`${ORIGIN}/${tenant.id}/tr:w-61/c.jpg`);
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBeTruthy();
    const body = (await res.json()) as { message: string; jurisdiction: string };
    expect(body.jurisdiction).toBe('eu');
    expect(body.message).toContain('(eu)');
  });

  it('refuses writes for an open tenant too: nothing is written outside', async () => {
    const tenant = await createIn('eu', 'open');
    const form = new FormData();
    form.append('file', new Blob([await fixtureBytes(fixtures.jpegBaseline.path)], { type: 'image/jpeg' }), 'w.jpg');
    form.append('fileName', 'w.jpg');
    const exec = createExecutionContext();
    const request = new Request(`${ORIGIN}/api/v1/files/upload`, { method: 'POST', body: form, headers: { Authorization: `Basic ${btoa(`${tenant.privateKey}:`)}` } });
    const res = await worker.fetch(request, { ...env, MEDIA_EU: failingBucket }, exec);
    await waitOnExecutionContext(exec);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { jurisdiction: string }).jurisdiction).toBe('eu');
    expect(await keysOf(env.MEDIA, tenant.id)).toEqual([]);
  });

  it('serves an open tenant from a copy kept outside, in Server-Timing and the audit logs, writing nothing there', async () => {
    const tenant = await createIn('eu', 'open');
    const file = await upload(tenant, 'o.jpg');
    // The operator keeps a copy of the original in the default bucket (edgepix itself writes none there).
    const [blobKey] = (await keysOf(env.MEDIA_EU!, tenant.id)).filter((key) => key.startsWith(`library/${tenant.id}/`));
    await env.MEDIA.put(blobKey!, await (await env.MEDIA_EU!.get(blobKey!))!.arrayBuffer());
    const before = await keysOf(env.MEDIA, tenant.id);

    const res = await deliverWithEuDown(`${ORIGIN}/${tenant.id}/tr:w-73/o.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Server-Timing')).toContain('fallback;desc="eu->default"');
    expect((await decodeResponse(res)).width).toBe(73);
    // The variant was not stored anywhere outside (nor, with the eu down, inside).
    expect(await keysOf(env.MEDIA, tenant.id)).toEqual(before);

    const platform = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName('#platform'));
    const entries = (await platform.list({ limit: 100, action: 'residency.fallback' })).entries;
    expect(entries.map((e) => e.target)).toContain(`tenant:${tenant.id}`);
    expect(await auditActions(tenant.id, 'eu')).toContain('residency.fallback');
    expect(file.fileId).toBeTruthy();
  });

  it('answers 503 for an open tenant when no copy of the original is kept outside', async () => {
    const tenant = await createIn('eu', 'open');
    await upload(tenant, 'n.jpg');
    const res = await deliverWithEuDown(`${ORIGIN}/${tenant.id}/tr:w-67/n.jpg`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { message: string; jurisdiction: string };
    expect(body.jurisdiction).toBe('eu');
    expect(body.message).toMatch(/no copy/);
  });
});
