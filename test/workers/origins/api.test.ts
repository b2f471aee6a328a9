/**
 * `/v1/accounts/origins` and `/v1/accounts/url-endpoints` as ImageKit's SDK calls them: shapes, statuses,
 * validation, secrets never shown and stored encrypted, permissions, and isolation between tenants.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../../src/audit/record';
import { decryptSecret } from '../../../src/security/crypto';
import { tenantConfigKey } from '../../../src/tenants/config';
import { readTenantFresh } from '../../../src/tenants/store';
import { callApi, newTenantWithKey, addKey, type TenantWithKey } from '../api-helpers';
import { servers } from '../origin-servers';

type Json = Record<string, unknown>;

const s3Body = (overrides: Json = {}): Json => ({
  type: 'S3_COMPATIBLE',
  name: 'Local bucket',
  endpoint: servers.s3,
  bucket: servers.s3Bucket,
  prefix: '/photos/',
  accessKey: 'AKIDEXAMPLE-access',
  secretKey: 'wJalrXUtnFEMI-secret-value',
  s3ForcePathStyle: true,
  ...overrides,
});

const webBody = (overrides: Json = {}): Json => ({
  type: 'WEB_FOLDER',
  name: 'Web server',
  baseUrl: `${servers.webFolder}/files/x`,
  forwardHostHeaderToOrigin: true,
  ...overrides,
});

async function create(t: TenantWithKey, body: Json): Promise<Json> {
  const response = await callApi(t.auth, 'POST', '/v1/accounts/origins', body);
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return (await response.json()) as Json;
}

async function errorOf(response: Response, status: number): Promise<string> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { message: string; help: string };
  expect(typeof body.help).toBe('string');
  return body.message;
}

describe('origins API', () => {
  it('creates each supported type with ImageKit\'s response shape (201), never echoing a secret', async () => {
    const t = await newTenantWithKey();
    const s3 = await create(t, s3Body());
    expect(s3).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      type: 'S3_COMPATIBLE',
      name: 'Local bucket',
      endpoint: servers.s3,
      bucket: servers.s3Bucket,
      prefix: 'photos',
      s3ForcePathStyle: true,
      includeCanonicalHeader: false,
    });
    const aws = await create(t, { type: 'S3', name: 'AWS', bucket: 'product-images', accessKey: 'AKIA', secretKey: 'secret', includeCanonicalHeader: true, baseUrlForCanonicalHeader: 'https://www.example.com' });
    expect(aws).toEqual({
      id: expect.any(String),
      type: 'S3',
      name: 'AWS',
      bucket: 'product-images',
      prefix: '',
      useIAMRole: false,
      includeCanonicalHeader: true,
      baseUrlForCanonicalHeader: 'https://www.example.com',
    });
    const web = await create(t, webBody());
    expect(web).toEqual({
      id: expect.any(String),
      type: 'WEB_FOLDER',
      name: 'Web server',
      baseUrl: `${servers.webFolder}/files/x`,
      forwardHostHeaderToOrigin: true,
      includeCanonicalHeader: false,
    });
    const proxy = await create(t, { type: 'WEB_PROXY', name: 'Proxy' });
    expect(proxy).toEqual({ id: expect.any(String), type: 'WEB_PROXY', name: 'Proxy', includeCanonicalHeader: false });

    const list = await callApi(t.auth, 'GET', '/v1/accounts/origins');
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(JSON.parse(text)).toEqual([s3, aws, web, proxy]);
    for (const secret of ['AKIDEXAMPLE-access', 'wJalrXUtnFEMI-secret-value', 'accessKey', 'secretKey']) expect(text).not.toContain(secret);
    const one = await callApi(t.auth, 'GET', `/v1/accounts/origins/${s3.id}`);
    expect(await one.json()).toEqual(s3);
  });

  it('stores credentials only encrypted, bound to the tenant', async () => {
    const t = await newTenantWithKey();
    const s3 = await create(t, s3Body());
    const raw = (await env.CONFIG.get(tenantConfigKey(t.tenantId)))!;
    expect(raw).not.toContain('wJalrXUtnFEMI-secret-value');
    expect(raw).not.toContain('AKIDEXAMPLE-access');
    const stored = (await readTenantFresh(env, t.tenantId))!.origins.find((o) => o.id === s3.id)!;
    expect(stored.type).toBe('S3_COMPATIBLE');
    if (stored.type !== 'S3_COMPATIBLE') return;
    expect(await decryptSecret(env.MASTER_KEY, stored.secretKeyCiphertext, t.tenantId)).toBe('wJalrXUtnFEMI-secret-value');
    await expect(decryptSecret(env.MASTER_KEY, stored.secretKeyCiphertext, 'another-tenant')).rejects.toThrow();
  });

  it('replaces an origin with PUT, keeping stored keys when they are left out', async () => {
    const t = await newTenantWithKey();
    const s3 = await create(t, s3Body());
    const before = (await readTenantFresh(env, t.tenantId))!.origins[0]!;
    const { accessKey: _a, secretKey: _s, ...withoutKeys } = s3Body({ name: 'Renamed', prefix: 'other' });
    const put = await callApi(t.auth, 'PUT', `/v1/accounts/origins/${s3.id}`, withoutKeys);
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ id: s3.id, name: 'Renamed', prefix: 'other' });
    const after = (await readTenantFresh(env, t.tenantId))!.origins[0]!;
    expect(after.createdAt).toBe(before.createdAt);
    if (after.type !== 'S3_COMPATIBLE' || before.type !== 'S3_COMPATIBLE') throw new Error('type changed');
    expect(after.secretKeyCiphertext).toBe(before.secretKeyCiphertext);
    // Changing the type needs the new type's fields; an S3 origin becoming a web folder drops its keys.
    const web = await callApi(t.auth, 'PUT', `/v1/accounts/origins/${s3.id}`, webBody());
    expect(await web.json()).toMatchObject({ id: s3.id, type: 'WEB_FOLDER' });
    const s3Again = await callApi(t.auth, 'PUT', `/v1/accounts/origins/${s3.id}`, withoutKeys);
    expect(await errorOf(s3Again, 400)).toMatch(/accessKey/);
  });

  it('deletes with 204, then answers 404', async () => {
    const t = await newTenantWithKey();
    const web = await create(t, webBody());
    const del = await callApi(t.auth, 'DELETE', `/v1/accounts/origins/${web.id}`);
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    await errorOf(await callApi(t.auth, 'GET', `/v1/accounts/origins/${web.id}`), 404);
    await errorOf(await callApi(t.auth, 'PUT', `/v1/accounts/origins/${web.id}`, webBody()), 404);
    await errorOf(await callApi(t.auth, 'DELETE', `/v1/accounts/origins/${web.id}`), 404);
  });

  it('names unsupported ImageKit types in a 400', async () => {
    const t = await newTenantWithKey();
    for (const type of ['GCS', 'AZURE_BLOB', 'CLOUDINARY_BACKUP', 'AKENEO_PIM']) {
      const message = await errorOf(await callApi(t.auth, 'POST', '/v1/accounts/origins', { type, name: 'x' }), 400);
      expect(message).toBe(`Origin type "${type}" is not supported by this deployment`);
    }
    expect(await errorOf(await callApi(t.auth, 'POST', '/v1/accounts/origins', { type: 'FTP', name: 'x' }), 400)).toMatch(/"type"/);
  });

  it('refuses invalid fields with a 400 naming the field', async () => {
    const t = await newTenantWithKey();
    const cases: [Json, string][] = [
      [s3Body({ name: '' }), 'name'],
      [s3Body({ name: undefined }), 'name'],
      [s3Body({ bucket: 'a' }), 'bucket'],
      [s3Body({ endpoint: 'not a url' }), 'endpoint'],
      [s3Body({ endpoint: 'ftp://files.example.com' }), 'endpoint'],
      [s3Body({ endpoint: 'http://169.254.169.254' }), 'endpoint'],
      [s3Body({ endpoint: 'https://user:pw@s3.example.com' }), 'endpoint'],
      [s3Body({ secretKey: undefined }), 'secretKey'],
      [s3Body({ accessKey: 42 }), 'accessKey'],
      [s3Body({ s3ForcePathStyle: 'yes' }), 's3ForcePathStyle'],
      [s3Body({ prefix: 'a/../b' }), 'prefix'],
      [{ type: 'S3', name: 'x', bucket: 'Not_Valid', accessKey: 'a', secretKey: 's' }, 'bucket'],
      [webBody({ baseUrl: 'http://0.0.0.0/' }), 'baseUrl'],
      [webBody({ baseUrl: 'https://example.com/a?x=1' }), 'baseUrl'],
      [webBody({ baseUrl: undefined }), 'baseUrl'],
      [webBody({ forwardHostHeaderToOrigin: 1 }), 'forwardHostHeaderToOrigin'],
      [webBody({ includeCanonicalHeader: 'true' }), 'includeCanonicalHeader'],
      [webBody({ baseUrlForCanonicalHeader: 'javascript:alert(1)' }), 'baseUrlForCanonicalHeader'],
    ];
    for (const [body, field] of cases) {
      const message = await errorOf(await callApi(t.auth, 'POST', '/v1/accounts/origins', body), 400);
      expect(message, JSON.stringify(body)).toContain(`"${field}"`);
    }
    expect(await errorOf(await callApi(t.auth, 'POST', '/v1/accounts/origins', { type: 'S3', name: 'x', bucket: 'b-1', accessKey: '', secretKey: '', useIAMRole: true }), 400)).toMatch(/useIAMRole/);
    await errorOf(await callApi(t.auth, 'POST', '/v1/accounts/origins', '[1,2]'), 400);
    await errorOf(await callApi(t.auth, 'POST', '/v1/accounts/origins', '{oops'), 400);
    expect(await (await callApi(t.auth, 'GET', '/v1/accounts/origins')).json()).toEqual([]);
  });
});

describe('URL endpoints API', () => {
  it('lists the default endpoint first, and creates endpoints with ordered origins (201)', async () => {
    const t = await newTenantWithKey();
    const list0 = await callApi(t.auth, 'GET', '/v1/accounts/url-endpoints');
    expect(await list0.json()).toEqual([{ id: 'default', description: 'Default URL endpoint', urlPrefix: '', origins: [] }]);
    const a = await create(t, webBody());
    const b = await create(t, { type: 'WEB_PROXY', name: 'Proxy' });
    const created = await callApi(t.auth, 'POST', '/v1/accounts/url-endpoints', { description: 'Images', urlPrefix: 'img', origins: [b.id, a.id] });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as Json;
    expect(endpoint).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), description: 'Images', urlPrefix: 'img', origins: [b.id, a.id] });
    expect(await (await callApi(t.auth, 'GET', `/v1/accounts/url-endpoints/${endpoint.id}`)).json()).toEqual(endpoint);
    const list = (await (await callApi(t.auth, 'GET', '/v1/accounts/url-endpoints')).json()) as Json[];
    expect(list.map((e) => e.id)).toEqual(['default', endpoint.id]);
  });

  it('validates urlPrefix (one segment, unique, not empty) and origin ids', async () => {
    const t = await newTenantWithKey();
    const web = await create(t, webBody());
    const post = (body: Json) => callApi(t.auth, 'POST', '/v1/accounts/url-endpoints', { description: 'd', ...body });
    expect((await post({ urlPrefix: 'taken_1-A' })).status).toBe(201);
    for (const urlPrefix of ['', 'a/b', 'a.b', 'tr:w-100', 'ü', 'a b', 42]) {
      expect(await errorOf(await post({ urlPrefix }), 400), String(urlPrefix)).toContain('"urlPrefix"');
    }
    expect(await errorOf(await post({}), 400)).toContain('"urlPrefix"');
    expect(await errorOf(await post({ urlPrefix: 'taken_1-A' }), 400)).toMatch(/already used/);
    expect(await errorOf(await post({ urlPrefix: 'x', origins: ['000000000000000000000000'] }), 400)).toMatch(/"origins".*unknown/);
    expect(await errorOf(await post({ urlPrefix: 'x', origins: [web.id, web.id] }), 400)).toContain('"origins"');
    expect(await errorOf(await post({ urlPrefix: 'x', origins: 'nope' }), 400)).toContain('"origins"');
    expect(await errorOf(await post({ urlPrefix: 'x', urlRewriter: { type: 'IMGIX' } }), 400)).toMatch(/urlRewriter is not supported/);
    expect(await errorOf(await callApi(t.auth, 'POST', '/v1/accounts/url-endpoints', { urlPrefix: 'x' }), 400)).toContain('"description"');
  });

  it('updates with PUT (prefix kept when left out), updates the default endpoint, refuses deleting it', async () => {
    const t = await newTenantWithKey();
    const web = await create(t, webBody());
    const created = (await (await callApi(t.auth, 'POST', '/v1/accounts/url-endpoints', { description: 'd', urlPrefix: 'p1' })).json()) as Json;
    const put = await callApi(t.auth, 'PUT', `/v1/accounts/url-endpoints/${created.id}`, { description: 'new', origins: [web.id] });
    expect(await put.json()).toEqual({ id: created.id, description: 'new', urlPrefix: 'p1', origins: [web.id] });
    const renamed = await callApi(t.auth, 'PUT', `/v1/accounts/url-endpoints/${created.id}`, { description: 'new', urlPrefix: 'p2' });
    expect(await renamed.json()).toMatchObject({ urlPrefix: 'p2', origins: [] });

    const def = await callApi(t.auth, 'PUT', '/v1/accounts/url-endpoints/default', { description: 'Default', origins: [web.id] });
    expect(await def.json()).toEqual({ id: 'default', description: 'Default', urlPrefix: '', origins: [web.id] });
    expect(await errorOf(await callApi(t.auth, 'PUT', '/v1/accounts/url-endpoints/default', { description: 'x', urlPrefix: 'p3' }), 400)).toContain('"urlPrefix"');
    expect(await errorOf(await callApi(t.auth, 'DELETE', '/v1/accounts/url-endpoints/default'), 400)).toMatch(/default URL endpoint cannot be deleted/);

    const del = await callApi(t.auth, 'DELETE', `/v1/accounts/url-endpoints/${created.id}`);
    expect(del.status).toBe(204);
    await errorOf(await callApi(t.auth, 'GET', `/v1/accounts/url-endpoints/${created.id}`), 404);
    await errorOf(await callApi(t.auth, 'DELETE', `/v1/accounts/url-endpoints/${created.id}`), 404);
  });

  it('refuses to delete an origin an endpoint uses, naming the endpoint', async () => {
    const t = await newTenantWithKey();
    const web = await create(t, webBody());
    const endpoint = (await (await callApi(t.auth, 'POST', '/v1/accounts/url-endpoints', { description: 'd', urlPrefix: 'uses', origins: [web.id] })).json()) as Json;
    const message = await errorOf(await callApi(t.auth, 'DELETE', `/v1/accounts/origins/${web.id}`), 400);
    expect(message).toContain('"uses"');
    expect(message).toContain(String(endpoint.id));
    await callApi(t.auth, 'PUT', `/v1/accounts/url-endpoints/${endpoint.id}`, { description: 'd', origins: [] });
    expect((await callApi(t.auth, 'DELETE', `/v1/accounts/origins/${web.id}`)).status).toBe(204);
  });
});

describe('origins and endpoints: audit', () => {
  it('records every write in the tenant\'s audit log, with the key that made it', async () => {
    const t = await newTenantWithKey();
    const web = await create(t, webBody());
    await callApi(t.auth, 'PUT', `/v1/accounts/origins/${web.id}`, webBody({ name: 'renamed' }));
    const endpoint = (await (await callApi(t.auth, 'POST', '/v1/accounts/url-endpoints', { description: 'd', urlPrefix: 'a1', origins: [web.id] })).json()) as Json;
    await callApi(t.auth, 'PUT', `/v1/accounts/url-endpoints/${endpoint.id}`, { description: 'd' });
    await callApi(t.auth, 'DELETE', `/v1/accounts/url-endpoints/${endpoint.id}`);
    await callApi(t.auth, 'DELETE', `/v1/accounts/origins/${web.id}`);
    // A refused write leaves no entry.
    await callApi(t.auth, 'POST', '/v1/accounts/origins', { type: 'GCS', name: 'x' });
    const { entries } = await auditLog(env, t.tenantId).list({ limit: 50 });
    expect(entries.map((e) => [e.action, e.target, e.actor])).toEqual([
      ['origin.create', `origin:${web.id}`, `key:${t.keyId}`],
      ['origin.update', `origin:${web.id}`, `key:${t.keyId}`],
      ['url-endpoint.create', `url-endpoint:${endpoint.id}`, `key:${t.keyId}`],
      ['url-endpoint.update', `url-endpoint:${endpoint.id}`, `key:${t.keyId}`],
      ['url-endpoint.delete', `url-endpoint:${endpoint.id}`, `key:${t.keyId}`],
      ['origin.delete', `origin:${web.id}`, `key:${t.keyId}`],
    ]);
  });
});

describe('origins and endpoints: permissions and tenant isolation', () => {
  it('needs settings read to list and read_write to change', async () => {
    const t = await newTenantWithKey();
    const web = await create(t, webBody());
    const reader = await addKey(t.tenantId, { files: 'read_write', settings: 'read', audit: 'none' });
    const none = await addKey(t.tenantId, { files: 'read_write', settings: 'none', audit: 'none' });
    expect((await callApi(reader.auth, 'GET', '/v1/accounts/origins')).status).toBe(200);
    expect((await callApi(reader.auth, 'GET', '/v1/accounts/url-endpoints')).status).toBe(200);
    await errorOf(await callApi(reader.auth, 'POST', '/v1/accounts/origins', webBody()), 403);
    await errorOf(await callApi(reader.auth, 'DELETE', `/v1/accounts/origins/${web.id}`), 403);
    await errorOf(await callApi(reader.auth, 'POST', '/v1/accounts/url-endpoints', { description: 'd', urlPrefix: 'r' }), 403);
    await errorOf(await callApi(none.auth, 'GET', '/v1/accounts/origins'), 403);
    await errorOf(await callApi(none.auth, 'GET', '/v1/accounts/url-endpoints/default'), 403);
    await errorOf(await callApi({}, 'GET', '/v1/accounts/origins'), 401);
    await errorOf(await callApi({ Authorization: `Basic ${btoa('private_nope:')}` }, 'GET', '/v1/accounts/origins'), 401);
  });

  it('never lets a key of tenant A read or change tenant B\'s origins or endpoints', async () => {
    const a = await newTenantWithKey();
    const b = await newTenantWithKey();
    const bOrigin = await create(b, s3Body());
    const bEndpoint = (await (await callApi(b.auth, 'POST', '/v1/accounts/url-endpoints', { description: 'B', urlPrefix: 'bee', origins: [bOrigin.id] })).json()) as Json;

    expect(await (await callApi(a.auth, 'GET', '/v1/accounts/origins')).json()).toEqual([]);
    const endpoints = (await (await callApi(a.auth, 'GET', '/v1/accounts/url-endpoints')).json()) as Json[];
    expect(endpoints.map((e) => e.id)).toEqual(['default']);
    for (const [method, body] of [['GET', undefined], ['PUT', s3Body({ name: 'hijacked' })], ['DELETE', undefined]] as const) {
      const response = await callApi(a.auth, method, `/v1/accounts/origins/${bOrigin.id}`, body);
      expect(response.status, method).toBe(404);
      expect(await response.text()).not.toContain(servers.s3Bucket);
    }
    for (const [method, body] of [['GET', undefined], ['PUT', { description: 'hijacked' }], ['DELETE', undefined]] as const) {
      expect((await callApi(a.auth, method, `/v1/accounts/url-endpoints/${bEndpoint.id}`, body)).status, method).toBe(404);
    }
    // A's endpoint cannot point at B's origin either.
    const stolen = await callApi(a.auth, 'POST', '/v1/accounts/url-endpoints', { description: 'x', urlPrefix: 'steal', origins: [bOrigin.id] });
    expect(await errorOf(stolen, 400)).toContain('"origins"');

    expect(await (await callApi(b.auth, 'GET', `/v1/accounts/origins/${bOrigin.id}`)).json()).toEqual(bOrigin);
    expect(await (await callApi(b.auth, 'GET', `/v1/accounts/url-endpoints/${bEndpoint.id}`)).json()).toEqual(bEndpoint);
  });
});
