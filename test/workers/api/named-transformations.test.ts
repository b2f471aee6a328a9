/**
 * Named transformations: the `/v1/named-transformations` API (over HTTP and through `@imagekit/nodejs`), their
 * expansion in delivery (the cache key follows the expansion), `restrictUnnamedTransformations`, and isolation
 * between tenants.
 */
import ImageKit from '@imagekit/nodejs';
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTenantFresh, saveTenant } from '../../../src/tenants/store';
import { fixtures } from '../../fixtures/registry';
import { apiFetch, callApi, newTenantWithKey, type TenantWithKey } from '../api-helpers';
import { decodeResponse, fixtureBytes, json, ORIGIN, putOriginal } from '../helpers';

interface Named {
  id: string;
  name: string;
  transformation: string;
  enabled: boolean;
  createdAt: string;
}

const BASE = '/v1/named-transformations';
let bytes: Uint8Array;

beforeAll(async () => {
  bytes = await fixtureBytes(fixtures.jpegBaseline.path); // 227×149
});

async function tenant(overrides: Parameters<typeof newTenantWithKey>[1] = {}): Promise<TenantWithKey> {
  const t = await newTenantWithKey(undefined, overrides);
  await putOriginal(t.tenantId, 'a.jpg', bytes);
  return t;
}

async function create(t: TenantWithKey, body: unknown): Promise<Named> {
  const res = await callApi(t.auth, 'POST', BASE, body);
  if (res.status !== 201) expect.fail(`${res.status} ${await res.text()}`);
  return (await res.json()) as Named;
}

async function expectError(res: Response, status: number, ...fragments: string[]) {
  expect(res.status).toBe(status);
  const body = await json(res);
  expect(Object.keys(body).sort()).toEqual(['help', 'message']);
  for (const f of fragments) expect(body.message).toContain(f);
  return body;
}

const deliver = (t: TenantWithKey, path: string, init?: RequestInit) => SELF.fetch(`${ORIGIN}/${t.tenantId}/${path}`, init);

async function size(res: Response): Promise<[number, number]> {
  if (res.status !== 200) expect.fail(`${res.status} ${await res.text()}`);
  const image = await decodeResponse(res);
  return [image.width, image.height];
}

describe('the API over HTTP', () => {
  it('lists the built-in ik_ml_thumbnail from the start', async () => {
    const t = await tenant();
    const res = await callApi(t.auth, 'GET', BASE);
    expect(res.status).toBe(200);
    const list = (await res.json()) as Named[];
    expect(list).toEqual([
      { id: 'ik_ml_thumbnail', name: 'ik_ml_thumbnail', transformation: 'w-200,h-200,c-at_max', enabled: true, createdAt: expect.any(String) },
    ]);
  });

  it('creates, gets, lists, updates and deletes', async () => {
    const t = await tenant();
    const created = await create(t, { name: 'Small_1', transformation: 'w-50' });
    expect(Object.keys(created).sort()).toEqual(['createdAt', 'enabled', 'id', 'name', 'transformation']);
    expect(created).toMatchObject({ name: 'Small_1', transformation: 'w-50', enabled: true });
    expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);

    const got = await callApi(t.auth, 'GET', `${BASE}/${created.id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(created);

    const list = (await (await callApi(t.auth, 'GET', BASE)).json()) as Named[];
    expect(list.map((n) => n.name)).toEqual(['ik_ml_thumbnail', 'Small_1']);

    const patched = await callApi(t.auth, 'PATCH', `${BASE}/${created.id}`, { transformation: 'tr:w-60,h-40', enabled: false });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({ ...created, transformation: 'w-60,h-40', enabled: false });
    const renamed = await callApi(t.auth, 'PATCH', `${BASE}/${created.id}`, { name: 'small_2' });
    expect(((await renamed.json()) as Named).name).toBe('small_2');

    const deleted = await callApi(t.auth, 'DELETE', `${BASE}/${created.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    await expectError(await callApi(t.auth, 'GET', `${BASE}/${created.id}`), 404, 'does not exist');
    await expectError(await callApi(t.auth, 'PATCH', `${BASE}/${created.id}`, { enabled: true }), 404);
    await expectError(await callApi(t.auth, 'DELETE', `${BASE}/${created.id}`), 404);
  });

  it('refuses bad names, duplicates and bad transformations with the field or parameter named', async () => {
    const t = await tenant();
    await create(t, { name: 'thumb', transformation: 'w-100' });
    for (const name of ['bad-name', 'with space', '', 'ü', 42, undefined]) {
      await expectError(await callApi(t.auth, 'POST', BASE, { name, transformation: 'w-10' }), 400, '"name"');
    }
    const dup = await callApi(t.auth, 'POST', BASE, { name: 'thumb', transformation: 'w-10' });
    await expectError(dup, 409, '"thumb"', 'already exists');
    expect(dup.headers.get('x-should-retry')).toBe('false');
    await expectError(await callApi(t.auth, 'POST', BASE, { name: 'ik_ml_thumbnail', transformation: 'w-10' }), 409);
    // Names are case-sensitive: THUMB is another name.
    await create(t, { name: 'THUMB', transformation: 'w-10' });

    await expectError(await callApi(t.auth, 'POST', BASE, { name: 'x1', transformation: 'w-abc' }), 400, '"transformation"', '"w"');
    await expectError(await callApi(t.auth, 'POST', BASE, { name: 'x2', transformation: 'w-10,zz-1' }), 400, '"transformation"', 'zz-1');
    await expectError(await callApi(t.auth, 'POST', BASE, { name: 'x3', transformation: 'n-thumb' }), 400, '"transformation"', 'n-');
    await expectError(await callApi(t.auth, 'POST', BASE, { name: 'x4', transformation: '' }), 400, '"transformation"');
    await expectError(await callApi(t.auth, 'POST', BASE, { name: 'x5' }), 400, '"transformation"');
    await expectError(await callApi(t.auth, 'POST', BASE, { name: 'x6', transformation: 'w-10', enabled: 'yes' }), 400, '"enabled"');
    await expectError(await callApi(t.auth, 'POST', BASE, 'not json'), 400, 'JSON');

    const other = await create(t, { name: 'other', transformation: 'w-20' });
    await expectError(await callApi(t.auth, 'PATCH', `${BASE}/${other.id}`, { name: 'thumb' }), 409);
    await expectError(await callApi(t.auth, 'PATCH', `${BASE}/${other.id}`, { transformation: 'rt-400' }), 400, '"rt"');
  });

  it('the built-in ik_ml_thumbnail can be read but neither changed nor deleted', async () => {
    const t = await tenant();
    expect((await callApi(t.auth, 'GET', `${BASE}/ik_ml_thumbnail`)).status).toBe(200);
    await expectError(await callApi(t.auth, 'DELETE', `${BASE}/ik_ml_thumbnail`), 400, 'built-in');
    await expectError(await callApi(t.auth, 'PATCH', `${BASE}/ik_ml_thumbnail`, { transformation: 'w-10' }), 400, 'built-in');
    const list = (await (await callApi(t.auth, 'GET', BASE)).json()) as Named[];
    expect(list.map((n) => n.name)).toContain('ik_ml_thumbnail');
  });

  it('needs settings read to read and read_write to write; no key is a 401', async () => {
    const owner = await tenant();
    const named = await create(owner, { name: 'thumb', transformation: 'w-10' });
    const reader = await newTenantWithKey({ files: 'read_write', settings: 'read', audit: 'none' });
    expect((await callApi(reader.auth, 'GET', BASE)).status).toBe(200);
    await expectError(await callApi(reader.auth, 'POST', BASE, { name: 'x', transformation: 'w-10' }), 403, 'settings');
    const none = await newTenantWithKey({ files: 'read_write', settings: 'none', audit: 'none' });
    await expectError(await callApi(none.auth, 'GET', BASE), 403, 'settings');
    await expectError(await callApi({}, 'GET', BASE), 401);
    await expectError(await callApi({}, 'DELETE', `${BASE}/${named.id}`), 401);
  });

  it('every write is in the audit log', async () => {
    const t = await tenant();
    const named = await create(t, { name: 'audited', transformation: 'w-10' });
    await callApi(t.auth, 'PATCH', `${BASE}/${named.id}`, { enabled: false });
    await callApi(t.auth, 'DELETE', `${BASE}/${named.id}`);
    const res = await SELF.fetch(`${ORIGIN}/v1/accounts/audit-logs`, { headers: t.auth });
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: { action: string; target: string }[] };
    const ours = entries.filter((e) => e.action.startsWith('named-transformation.'));
    expect(ours.map((e) => e.action).sort()).toEqual([
      'named-transformation.create',
      'named-transformation.delete',
      'named-transformation.update',
    ]);
    expect(ours.every((e) => e.target === `named-transformation:${named.id}`)).toBe(true);
  });
});

describe('isolation between tenants', () => {
  it("tenant A's key cannot read or change B's named transformations", async () => {
    const a = await tenant();
    const b = await tenant();
    const bNamed = await create(b, { name: 'b_only', transformation: 'w-30' });

    const aList = (await (await callApi(a.auth, 'GET', BASE)).json()) as Named[];
    expect(aList.map((n) => n.name)).toEqual(['ik_ml_thumbnail']);
    await expectError(await callApi(a.auth, 'GET', `${BASE}/${bNamed.id}`), 404);
    await expectError(await callApi(a.auth, 'PATCH', `${BASE}/${bNamed.id}`, { transformation: 'w-1' }), 404);
    await expectError(await callApi(a.auth, 'DELETE', `${BASE}/${bNamed.id}`), 404);

    const bGot = await callApi(b.auth, 'GET', `${BASE}/${bNamed.id}`);
    expect(await bGot.json()).toEqual(bNamed);
    // Delivery of A does not see B's name either.
    await expectError(await deliver(a, 'tr:n-b_only/a.jpg'), 400, '"b_only"');
    expect(await size(await deliver(b, 'tr:n-b_only/a.jpg'))).toEqual([30, 20]);
  });
});

describe('through @imagekit/nodejs', () => {
  it('list, create, get, update and delete with the SDK', async () => {
    const t = await tenant();
    const client = new ImageKit({ privateKey: t.privateKey, baseURL: ORIGIN, fetch: apiFetch, maxRetries: 0 });
    const created = await client.namedTransformations.create({ name: 'sdk_thumb', transformation: 'w-150,h-150,fo-center,cm-pad_resize' });
    expect(created).toMatchObject({ name: 'sdk_thumb', transformation: 'w-150,h-150,fo-center,cm-pad_resize', enabled: true });
    expect((await client.namedTransformations.get(created.id)).name).toBe('sdk_thumb');
    const updated = await client.namedTransformations.update(created.id, { transformation: 'w-200,h-200,fo-center,cm-pad_resize' });
    expect(updated.transformation).toBe('w-200,h-200,fo-center,cm-pad_resize');
    const list = await client.namedTransformations.list();
    expect(list.map((n) => n.name)).toEqual(['ik_ml_thumbnail', 'sdk_thumb']);
    await client.namedTransformations.delete(created.id);
    await expect(client.namedTransformations.get(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.namedTransformations.create({ name: 'bad name', transformation: 'w-1' })).rejects.toMatchObject({ status: 400 });
  });
});

describe('delivery', () => {
  it('expands n-<name> in the path and in the query', async () => {
    const t = await tenant();
    await create(t, { name: 'thumb', transformation: 'w-100' });
    expect(await size(await deliver(t, 'tr:n-thumb/a.jpg'))).toEqual([100, 66]);
    expect(await size(await deliver(t, 'a.jpg?tr=n-thumb'))).toEqual([100, 66]);
  });

  it('stored chained steps, and named mixed with explicit parameters and steps', async () => {
    const t = await tenant();
    await create(t, { name: 'box_turn', transformation: 'w-60,h-40:rt-90' });
    await create(t, { name: 'narrow', transformation: 'w-50' });
    expect(await size(await deliver(t, 'tr:n-box_turn/a.jpg'))).toEqual([40, 60]);
    expect(await size(await deliver(t, 'tr:n-narrow,h-50/a.jpg'))).toEqual([50, 50]);
    expect(await size(await deliver(t, 'tr:n-narrow:rt-90/a.jpg'))).toEqual([33, 50]);
    expect(await size(await deliver(t, 'tr:n-narrow/a.jpg?tr=n-box_turn'))).toEqual([40, 60]);
  });

  it('the built-in ik_ml_thumbnail fits within 200×200', async () => {
    const t = await tenant();
    expect(await size(await deliver(t, 'tr:n-ik_ml_thumbnail/a.jpg'))).toEqual([200, 131]);
  });

  it('an unknown or disabled name is a 400 naming it', async () => {
    const t = await tenant();
    await expectError(await deliver(t, 'tr:n-nope/a.jpg'), 400, '"nope"', 'does not exist');
    await expectError(await deliver(t, 'tr:n-/a.jpg'), 400, 'does not exist');
    const off = await create(t, { name: 'off', transformation: 'w-10', enabled: false });
    await expectError(await deliver(t, 'tr:n-off/a.jpg'), 400, '"off"', 'disabled');
    await callApi(t.auth, 'PATCH', `${BASE}/${off.id}`, { enabled: true });
    expect(await size(await deliver(t, 'tr:n-off/a.jpg'))).toEqual([10, 7]);
  });

  it('editing a named transformation changes what its URL delivers (the cache key is that of the expansion)', async () => {
    const t = await tenant();
    const named = await create(t, { name: 'hero', transformation: 'w-80' });
    const first = await deliver(t, 'tr:n-hero/a.jpg');
    const firstTag = first.headers.get('ETag');
    expect(await size(first)).toEqual([80, 53]);
    const again = await deliver(t, 'tr:n-hero/a.jpg');
    expect(again.headers.get('ETag')).toBe(firstTag);
    await again.arrayBuffer();
    // Same canonical form as the explicit transformation: one cache entry.
    const explicit = await deliver(t, 'tr:w-80/a.jpg');
    expect(explicit.headers.get('ETag')).toBe(firstTag);
    await explicit.arrayBuffer();

    await callApi(t.auth, 'PATCH', `${BASE}/${named.id}`, { transformation: 'w-40' });
    const edited = await deliver(t, 'tr:n-hero/a.jpg');
    expect(edited.headers.get('ETag')).not.toBe(firstTag);
    expect(await size(edited)).toEqual([40, 26]);
    // A client revalidating the old variant gets the new one.
    const revalidated = await deliver(t, 'tr:n-hero/a.jpg', { headers: { 'If-None-Match': firstTag! } });
    expect(revalidated.status).toBe(200);
    await revalidated.arrayBuffer();
  });

  it('a stored string that uses n- (written around the API) is a 400: expansion is one level', async () => {
    const t = await tenant();
    const config = (await readTenantFresh(env, t.tenantId))!;
    const now = new Date().toISOString();
    config.namedTransformations.push({ id: 'nt_loop', name: 'loop', description: '', transformation: 'n-loop', enabled: true, createdAt: now, updatedAt: now });
    await saveTenant(env, config);
    await expectError(await deliver(t, 'tr:n-loop/a.jpg'), 400, '"loop"', 'another named transformation');
  });
});

describe('restrictUnnamedTransformations', () => {
  it('allows named transformations only (and the untransformed file)', async () => {
    const t = await tenant({ restrictUnnamedTransformations: true });
    await create(t, { name: 'thumb', transformation: 'w-100' });
    expect(await size(await deliver(t, 'tr:n-thumb/a.jpg'))).toEqual([100, 66]);
    expect(await size(await deliver(t, 'a.jpg?tr=n-thumb'))).toEqual([100, 66]);
    expect(await size(await deliver(t, 'a.jpg'))).toEqual([227, 149]);
    for (const path of ['tr:w-100/a.jpg', 'a.jpg?tr=w-100', 'tr:n-thumb,w-10/a.jpg', 'tr:n-thumb:rt-90/a.jpg', 'tr:n-thumb/a.jpg?tr=q-10', 'tr:orig-true/a.jpg']) {
      const body = await expectError(await deliver(t, path), 400, 'Bad Image Transformation Request');
      expect(body.help).toContain('named');
    }
  });

  it('is off by default', async () => {
    const t = await tenant();
    expect(await size(await deliver(t, 'tr:w-100/a.jpg'))).toEqual([100, 66]);
  });
});
