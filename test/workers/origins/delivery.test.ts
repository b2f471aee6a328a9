/**
 * Delivery through URL endpoints, end to end: origins and endpoints created through the API, then
 * `/<tenant>/<urlPrefix>/tr:…/<path>` served from s3rver, from the web-folder server and through a web proxy;
 * the tenant's own files first; private files flagged; caps and SSRF refusals as JSON errors.
 */
import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ResolvedContext } from '../../../src/delivery/context';
import { newDeliveryContext } from '../../../src/delivery/pipeline';
import { findTenant } from '../../../src/delivery/stages/find-tenant';
import { parseRequest } from '../../../src/delivery/stages/parse-request';
import { resolveOriginal } from '../../../src/delivery/stages/resolve-original';
import { parseDeliveryUrl } from '../../../src/delivery/url';
import { fixtures } from '../../fixtures/registry';
import { callApi, newTenantWithKey, type TenantWithKey } from '../api-helpers';
import { decodeResponse, fixtureBytes, get, json, ORIGIN, putOriginal } from '../helpers';
import { putS3, putWeb, servers, unique, webLog } from '../origin-servers';

type Json = Record<string, unknown>;

async function post(t: TenantWithKey, path: string, body: Json): Promise<Json> {
  const response = await callApi(t.auth, 'POST', path, body);
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Json;
}

async function endpoint(t: TenantWithKey, urlPrefix: string, origins: Json[]): Promise<void> {
  await post(t, '/v1/accounts/url-endpoints', { description: urlPrefix, urlPrefix, origins: origins.map((o) => o.id) });
}

const webOrigin = (t: TenantWithKey, baseUrl: string) => post(t, '/v1/accounts/origins', { type: 'WEB_FOLDER', name: 'web', baseUrl });

const s3Origin = (t: TenantWithKey, prefix: string) =>
  post(t, '/v1/accounts/origins', {
    type: 'S3_COMPATIBLE',
    name: 's3',
    endpoint: servers.s3,
    bucket: servers.s3Bucket,
    prefix,
    accessKey: servers.s3AccessKey,
    secretKey: servers.s3SecretKey,
    s3ForcePathStyle: true,
  });

const photo = () => fixtureBytes(fixtures.photo1000x800.path);
const png = () => fixtureBytes(fixtures.pngAlphaGradient.path);

async function bodyOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

/** Runs the delivery stages up to the origin lookup, to see what delivery found. */
async function resolve(path: string): Promise<ResolvedContext> {
  const request = new Request(`${ORIGIN}${path}`);
  const url = parseDeliveryUrl(new URL(request.url))!;
  const ctx = newDeliveryContext(request, env, createExecutionContext(), url);
  for (const stage of [findTenant, parseRequest, resolveOriginal]) await stage(ctx as never);
  return ctx as ResolvedContext;
}

describe('delivery through URL endpoints', () => {
  it('serves from an S3 bucket and from a web folder, with tr: before or after the prefix', async () => {
    const t = await newTenantWithKey();
    const namespace = unique('deliver');
    await putWeb(`${namespace}/photos/cat.jpg`, await photo(), { contentType: 'image/jpeg' });
    await putS3(`${namespace}/photos/cat.jpg`, await photo(), { contentType: 'image/jpeg' });
    await endpoint(t, 'web', [await webOrigin(t, `${servers.webFolder}/files/${namespace}/`)]);
    await endpoint(t, 's3', [await s3Origin(t, namespace)]);

    for (const path of [
      `/${t.tenantId}/s3/tr:w-100/photos/cat.jpg`,
      `/${t.tenantId}/tr:w-100/s3/photos/cat.jpg`,
      `/${t.tenantId}/s3/photos/cat.jpg?tr=w-100`,
      `/${t.tenantId}/web/tr:w-100/photos/cat.jpg`,
      `/${t.tenantId}/tr:w-100/web/photos/cat.jpg`,
    ]) {
      const response = await get(path, { headers: { Accept: 'image/jpeg' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('Content-Type')).toBe('image/jpeg');
      const image = await decodeResponse(response);
      expect([image.width, image.height], path).toEqual([100, 80]);
    }
    // Equivalent URLs share one variant: the second reading of the same file is a cache hit.
    const again = await get(`/${t.tenantId}/s3/tr:w-100/photos/cat.jpg`, { headers: { Accept: 'image/jpeg' } });
    expect(again.headers.get('Server-Timing')).toMatch(/cache;desc=hit/);
    await again.arrayBuffer();
  });

  it('tries the tenant\'s own files first, then the endpoint\'s origins in order', async () => {
    const t = await newTenantWithKey();
    const namespace = unique('order');
    const jpeg = await photo();
    const other = await png();
    await putWeb(`${namespace}/both.jpg`, other, { contentType: 'image/png' });
    await putS3(`${namespace}/both.jpg`, jpeg, { contentType: 'image/jpeg' });
    await putS3(`${namespace}/only-s3.jpg`, jpeg, { contentType: 'image/jpeg' });
    await putWeb(`${namespace}/mine.jpg`, jpeg, { contentType: 'image/jpeg' });
    await putOriginal(t.tenantId, 'mine.jpg', other, 'image/png');
    await endpoint(t, 'both', [await webOrigin(t, `${servers.webFolder}/files/${namespace}/`), await s3Origin(t, namespace)]);

    const served = async (file: string) => bodyOf(await get(`/${t.tenantId}/both/tr:orig-true/${file}`));
    expect(await served('both.jpg')).toEqual(other); // first origin wins
    expect(await served('only-s3.jpg')).toEqual(jpeg); // then the next
    expect(await served('mine.jpg')).toEqual(other); // the tenant's R2 file wins over every origin
    const missing = await get(`/${t.tenantId}/both/nowhere.jpg`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).message).toMatch(/nowhere\.jpg/);
  });

  it('without a prefix reads only the tenant\'s files, plus the default endpoint\'s origins once it has some', async () => {
    const t = await newTenantWithKey();
    const namespace = unique('default');
    await putWeb(`${namespace}/cat.jpg`, await photo(), { contentType: 'image/jpeg' });
    const web = await webOrigin(t, `${servers.webFolder}/files/${namespace}/`);
    await endpoint(t, 'web', [web]);
    expect((await get(`/${t.tenantId}/tr:w-50/cat.jpg`)).status).toBe(404);
    // A first segment that is not one of the tenant's prefixes is part of the path.
    expect((await get(`/${t.tenantId}/other/cat.jpg`)).status).toBe(404);
    const put = await callApi(t.auth, 'PUT', '/v1/accounts/url-endpoints/default', { description: 'Default', origins: [web.id] });
    expect(put.status).toBe(200);
    const response = await get(`/${t.tenantId}/tr:w-50/cat.jpg`);
    expect(response.status).toBe(200);
    expect((await decodeResponse(response)).width).toBe(50);
  });

  it('sends the delivery host as X-Forwarded-Host when the web folder asks for it', async () => {
    const t = await newTenantWithKey();
    const namespace = unique('forward');
    await putWeb(`${namespace}/cat.jpg`, await photo(), { contentType: 'image/jpeg' });
    const origin = await post(t, '/v1/accounts/origins', {
      type: 'WEB_FOLDER',
      name: 'forwarding',
      baseUrl: `${servers.webFolder}/files/${namespace}/`,
      forwardHostHeaderToOrigin: true,
    });
    await endpoint(t, 'fwd', [origin]);
    expect((await get(`/${t.tenantId}/fwd/tr:w-20/cat.jpg`)).status).toBe(200);
    const host = new URL(ORIGIN).host;
    expect(await webLog(namespace)).toEqual([
      `HEAD /files/${namespace}/cat.jpg (X-Forwarded-Host: ${host})`,
      `GET /files/${namespace}/cat.jpg (X-Forwarded-Host: ${host})`,
    ]);
  });

  it('keeps one tenant\'s prefixes and origins away from another tenant', async () => {
    const a = await newTenantWithKey();
    const b = await newTenantWithKey();
    const namespace = unique('isolated');
    await putWeb(`${namespace}/cat.jpg`, await photo(), { contentType: 'image/jpeg' });
    await endpoint(a, 'shared', [await webOrigin(a, `${servers.webFolder}/files/${namespace}/`)]);
    expect((await get(`/${a.tenantId}/shared/tr:w-10/cat.jpg`)).status).toBe(200);
    expect((await get(`/${b.tenantId}/shared/tr:w-10/cat.jpg`)).status).toBe(404);
  });

  it('flags private files from S3 metadata and from the Is-Private-File header', async () => {
    const t = await newTenantWithKey();
    const namespace = unique('private');
    await putS3(`${namespace}/secret.jpg`, await photo(), { contentType: 'image/jpeg', isPrivate: true });
    await putS3(`${namespace}/public.jpg`, await photo(), { contentType: 'image/jpeg' });
    await putWeb(`${namespace}/secret.jpg`, await photo(), { contentType: 'image/jpeg', isPrivate: true });
    await endpoint(t, 's3', [await s3Origin(t, namespace)]);
    await endpoint(t, 'web', [await webOrigin(t, `${servers.webFolder}/files/${namespace}/`)]);

    const s3Secret = await resolve(`/${t.tenantId}/s3/tr:w-100/secret.jpg`);
    expect(s3Secret.original!.isPrivate).toBe(true);
    expect(s3Secret.path).toBe('secret.jpg');
    expect(s3Secret.canonical).not.toBe('');
    expect((await resolve(`/${t.tenantId}/s3/public.jpg`)).original!.isPrivate).toBe(false);
    const webSecret = await resolve(`/${t.tenantId}/web/secret.jpg`);
    expect(webSecret.original!.isPrivate).toBe(true);
    expect(webSecret.urlEndpoint).not.toBe('default');

    // Delivery then asks for a signed URL (the signature stage reads the flag).
    expect((await get(`/${t.tenantId}/s3/tr:w-100/secret.jpg`)).status).toBe(401);
    expect((await get(`/${t.tenantId}/web/tr:w-100/secret.jpg`)).status).toBe(401);
    const open = await get(`/${t.tenantId}/s3/tr:w-100/public.jpg`);
    expect(open.status).toBe(200);
    await open.arrayBuffer();
  });

  it('proxies a full URL in the path, raw or percent-encoded, and refuses forbidden ones', async () => {
    const t = await newTenantWithKey();
    const namespace = unique('proxy');
    await putWeb(`${namespace}/dog.jpg`, await photo(), { contentType: 'image/jpeg' });
    await endpoint(t, 'proxy', [await post(t, '/v1/accounts/origins', { type: 'WEB_PROXY', name: 'proxy' })]);
    const source = `${servers.webFolder}/files/${namespace}/dog.jpg`;

    for (const path of [
      `/${t.tenantId}/proxy/tr:w-60/${source}`,
      `/${t.tenantId}/proxy/tr:w-60/${encodeURIComponent(source)}`,
      `/${t.tenantId}/tr:w-60/proxy/${source}`,
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect((await decodeResponse(response)).width).toBe(60);
    }
    for (const [target, reason] of [
      ['http://169.254.169.254/latest/meta-data/a.jpg', /link-local/],
      ['http://0.0.0.0/a.jpg', /unspecified/],
      ['http://[::ffff:169.254.169.254]/a.jpg', /link-local/],
    ] as const) {
      const response = await get(`/${t.tenantId}/proxy/${encodeURIComponent(target)}`);
      expect(response.status, target).toBe(403);
      expect((await json(response)).message).toMatch(reason);
    }
    expect((await get(`/${t.tenantId}/proxy/not-a-url.jpg`)).status).toBe(404);
  });

  it('through Cloudflare\'s door: a source under a URL endpoint, proxied only where the tenant has a web proxy', async () => {
    const t = await newTenantWithKey();
    const namespace = unique('cf-door');
    await putWeb(`${namespace}/dog.jpg`, await photo(), { contentType: 'image/jpeg' });
    await endpoint(t, 'web', [await webOrigin(t, `${servers.webFolder}/files/${namespace}/`)]);
    await endpoint(t, 'proxy', [await post(t, '/v1/accounts/origins', { type: 'WEB_PROXY', name: 'proxy' })]);
    const source = `${servers.webFolder}/files/${namespace}/dog.jpg`;
    for (const path of [`/cdn-cgi/image/width=70/${t.tenantId}/web/dog.jpg`, `/cdn-cgi/image/width=70/${t.tenantId}/proxy/${source}`]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect((await decodeResponse(response)).width).toBe(70);
    }
    // An absolute URL is a file path like any other unless it comes through the tenant's web proxy.
    expect((await get(`/cdn-cgi/image/width=70/${t.tenantId}/${source}`)).status).toBe(404);
    expect((await get(`/cdn-cgi/image/width=70/${source}`)).status).toBe(404);
    const guarded = await get(`/cdn-cgi/image/width=70/${t.tenantId}/proxy/${encodeURIComponent('http://169.254.169.254/latest/a.jpg')}`);
    expect(guarded.status).toBe(403);
    expect((await json(guarded)).message).toMatch(/link-local/);
  });

  it('answers 413 when an origin sends more than maxInputBytes, declared or not', async () => {
    const t = await newTenantWithKey(undefined, { limits: { maxInputBytes: 200_000 } });
    const namespace = unique('caps');
    await putWeb(`${namespace}/big.jpg`, await fixtureBytes(fixtures.photo4000x3000.path), {
      contentType: 'image/jpeg',
    });
    await endpoint(t, 'endless', [await webOrigin(t, `${servers.webFolder}/endless/`)]);
    await endpoint(t, 'big', [await webOrigin(t, `${servers.webFolder}/files/${namespace}/`)]);
    for (const path of [`/${t.tenantId}/endless/tr:w-10/x.jpg`, `/${t.tenantId}/big/tr:w-10/big.jpg`]) {
      const response = await get(path);
      expect(response.status, path).toBe(413);
      expect((await json(response)).message).toMatch(/maxInputBytes/);
    }
  });
});
