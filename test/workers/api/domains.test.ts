/**
 * Tenants on their own hostnames: the operator attaches one (active at once), a tenant requests one (pending until
 * a TXT record proves it, read from a DNS-over-HTTPS stand-in), delivery serves `http://<hostname>/[tr:…/]<path>`
 * with no tenant segment, signatures are bound to the hostname, a hostname is one tenant's only, and it goes with
 * its tenant. Calls that need another env (the stand-ins' addresses) go straight to the Worker's fetch handler.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import { proveOwnership } from '../../../src/tenants/domain-verification';
import type { Env } from '../../../src/env';
import { fixtures } from '../../fixtures/registry';
import { ADMIN } from '../admin-helpers';
import { callApi } from '../api-helpers';
import { decodeResponse, fixtureBytes, ORIGIN } from '../helpers';
import { newLibraryTenant, type LibraryTenant } from '../library-helpers';
import { servers, unique } from '../origin-servers';

const operator = (path: string, init: RequestInit = {}) =>
  SELF.fetch(`${ORIGIN}${path}`, { ...init, headers: { ...ADMIN, 'Content-Type': 'application/json' } });

async function attach(tenantId: string, hostname: string): Promise<Response> {
  return operator(`/admin/v1/tenants/${tenantId}/domains`, { method: 'POST', body: JSON.stringify({ hostname }) });
}

const upload = async (t: LibraryTenant, fixture: string) =>
  t.client.files.upload({ file: new File([await fixtureBytes(fixture)], 'photo.jpg'), fileName: 'photo.jpg', useUniqueFileName: false });

/** The Worker with some env values replaced (stand-ins), waiting for its waitUntil work. */
async function withEnv(overrides: Partial<Env>, request: Request): Promise<Response> {
  const exec = createExecutionContext();
  const response = await worker.fetch(request, { ...(env as unknown as Env), ...overrides }, exec);
  await waitOnExecutionContext(exec);
  return response;
}

const hostname = (label: string) => `${unique(label)}.acme.test`;

describe('tenants on their own hostnames', () => {
  it('serve a tenant\'s files on a hostname the operator attached, with or without tr:, and only there', async () => {
    const a = await newLibraryTenant();
    const b = await newLibraryTenant();
    await upload(a, fixtures.photo1000x800.path);
    await upload(b, fixtures.pngAlphaGradient.path);
    const [hostA, hostB] = [hostname('img-a'), hostname('img-b')];
    const attached = await attach(a.tenantId, hostA);
    expect(attached.status).toBe(201);
    expect(await attached.json()).toMatchObject({ hostname: hostA, status: 'active' });
    expect((await attach(b.tenantId, hostB)).status).toBe(201);

    const plain = await SELF.fetch(`http://${hostA}/photo.jpg`);
    expect(plain.status).toBe(200);
    expect((await decodeResponse(plain)).width).toBe(1000);
    expect((await decodeResponse(await SELF.fetch(`http://${hostA}/tr:w-100/photo.jpg`))).height).toBe(80);
    expect((await decodeResponse(await SELF.fetch(`http://${hostA}/photo.jpg?tr=w-100`))).height).toBe(80);
    // The same path on the other tenant's hostname is that tenant's file; the shared form keeps working.
    expect((await decodeResponse(await SELF.fetch(`http://${hostB}/tr:w-100/photo.jpg`))).height).toBe(75);
    expect((await SELF.fetch(`${ORIGIN}/${a.tenantId}/tr:w-100/photo.jpg`)).status).toBe(200);
    // No tenant segment on a tenant's hostname, and no API there.
    expect((await SELF.fetch(`http://${hostA}/${a.tenantId}/photo.jpg`)).status).toBe(404);
    expect((await SELF.fetch(`http://${hostA}/v1/files`, { headers: a.auth })).status).toBe(404);
    expect((await SELF.fetch(`http://${hostA}/photo.jpg`, { method: 'POST' })).status).toBe(405);

    // URL endpoints work under the hostname too: their prefix is the first segment.
    expect((await callApi(a.auth, 'POST', '/v1/accounts/url-endpoints', { description: 'lib', urlPrefix: 'lib', origins: [] })).status).toBe(201);
    expect((await decodeResponse(await SELF.fetch(`http://${hostA}/lib/tr:w-100/photo.jpg`))).height).toBe(80);

    // The files API reports URLs on the tenant's hostname.
    const [listed] = await a.client.assets.list({});
    expect((listed as { url: string }).url).toBe(`http://${hostA}/photo.jpg`);
    expect(await (await operator(`/admin/v1/tenants/${a.tenantId}/domains`)).json()).toMatchObject([{ hostname: hostA, status: 'active' }]);
  });

  it('verify URLs the SDK signed for the hostname there, and not on another tenant\'s host or endpoint', async () => {
    const a = await newLibraryTenant();
    const b = await newLibraryTenant();
    await upload(a, fixtures.photo1000x800.path);
    await upload(b, fixtures.photo1000x800.path);
    const [hostA, hostB] = [hostname('sig-a'), hostname('sig-b')];
    await attach(a.tenantId, hostA);
    await attach(b.tenantId, hostB);
    const signed = a.client.helper.buildSrc({ urlEndpoint: `http://${hostA}`, src: '/photo.jpg', transformation: [{ width: 60 }], signed: true });
    expect(signed.startsWith(`http://${hostA}/`)).toBe(true);
    expect((await SELF.fetch(signed)).status).toBe(200);
    const elsewhere = new URL(signed);
    elsewhere.host = hostB;
    expect((await SELF.fetch(elsewhere)).status).toBe(401);
    const othersShared = `${ORIGIN}/${b.tenantId}${new URL(signed).pathname}${new URL(signed).search}`;
    expect((await SELF.fetch(othersShared)).status).toBe(401);
    // As in ImageKit, the signature covers what follows the URL endpoint: the tenant's own shared endpoint takes it.
    const ownShared = `${ORIGIN}/${a.tenantId}${new URL(signed).pathname}${new URL(signed).search}`;
    expect((await SELF.fetch(ownShared)).status).toBe(200);
  });

  it('keep a hostname one tenant\'s: 409 for another, free again when its tenant is deleted', async () => {
    const a = await newLibraryTenant();
    const b = await newLibraryTenant();
    await upload(a, fixtures.photo1000x800.path);
    const host = hostname('owned');
    expect((await attach(a.tenantId, host)).status).toBe(201);
    expect((await attach(b.tenantId, host)).status).toBe(409);
    expect((await callApi(b.auth, 'POST', '/v1/accounts/domains', { hostname: host })).status).toBe(409);
    expect((await attach(a.tenantId, host)).status).toBe(409);

    expect((await operator(`/admin/v1/tenants/${a.tenantId}`, { method: 'DELETE' })).status).toBe(204);
    expect(await env.CONFIG.get(`host:${host}`)).toBeNull();
    expect((await SELF.fetch(`http://${host}/photo.jpg`)).status).not.toBe(200);
    expect((await attach(b.tenantId, host)).status).toBe(201);
  });

  it('keep a tenant\'s request pending until a TXT record proves it, then serve', async () => {
    const t = await newLibraryTenant();
    await upload(t, fixtures.photo1000x800.path);
    const host = hostname('pending');
    const requested = await callApi(t.auth, 'POST', '/v1/accounts/domains', { hostname: host });
    expect(requested.status).toBe(201);
    const body = (await requested.json()) as { status: string; verification: { dns: { name: string; value: string } } };
    expect(body).toMatchObject({ hostname: host, status: 'pending', verification: { dns: { type: 'TXT', name: `_edgepix-challenge.${host}` } } });
    expect((await SELF.fetch(`http://${host}/photo.jpg`)).status).not.toBe(200);

    const doh = { DNS_OVER_HTTPS_URL: `${servers.webFolder}/dns-query` };
    const verify = () =>
      withEnv(doh, new Request(`${ORIGIN}/v1/accounts/domains/${host}/verify`, { method: 'POST', headers: t.auth }));
    const refused = await verify();
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ checks: [{ method: 'dns', found: 'no TXT record' }, { method: 'http' }] });

    await fetch(`${servers.webFolder}/_dns/${body.verification.dns.name}`, { method: 'PUT', body: body.verification.dns.value });
    const verified = await verify();
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ hostname: host, status: 'active' });
    expect((await SELF.fetch(`http://${host}/photo.jpg`)).status).toBe(200);

    expect((await callApi(t.auth, 'DELETE', `/v1/accounts/domains/${host}`)).status).toBe(204);
    expect((await SELF.fetch(`http://${host}/photo.jpg`)).status).not.toBe(200);
    const trail = (await (await callApi(t.auth, 'GET', '/v1/accounts/audit-logs?limit=200')).json()) as { entries: { action: string }[] };
    expect(trail.entries.map((e) => e.action).filter((a) => a.startsWith('domain.'))).toEqual(['domain.create', 'domain.verify', 'domain.delete']);
  });

  it('take the token served over HTTP by the hostname\'s server as proof too (through the SSRF guard)', async () => {
    const host = hostname('http-proof');
    const token = unique('token');
    // The hostname's current server, played by the web-folder server: requests for the hostname are sent there.
    await fetch(`${servers.webFolder}/files/${host}/.well-known/edgepix-challenge/${token}`, { method: 'PUT', body: token });
    const toWebFolder = (request: Request) => {
      const url = new URL(request.url);
      return fetch(`${servers.webFolder}/files/${url.hostname}${url.pathname}`, { method: request.method, signal: request.signal });
    };
    const dev = { ALLOW_PRIVATE_ORIGINS: 'true', DNS_OVER_HTTPS_URL: `${servers.webFolder}/dns-query` };
    expect(await proveOwnership(dev, host, token, toWebFolder)).toMatchObject({ proven: true, checks: [{ method: 'dns' }, { method: 'http', found: `answered "${token}"` }] });
    expect((await proveOwnership(dev, host, 'another-token', toWebFolder)).proven).toBe(false);
  });

  it('check hostnames: punycode for IDNs, no IP literal, no wildcard for tenants, never the deployment\'s own host', async () => {
    const t = await newLibraryTenant();
    const post = (value: string) => callApi(t.auth, 'POST', '/v1/accounts/domains', { hostname: value });
    for (const bad of ['127.0.0.1', '[::1]', 'img.acme.test:8443', 'https://img.acme.test', 'img.acme.test/x', 'localhost', `*.${unique('w')}.test`, 'edgepix.test']) {
      const response = await post(bad);
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as { message: string }).message, bad).toMatch(/hostname/);
    }
    const idn = await post(`bücher-${unique('idn')}.acme.test`);
    expect(idn.status).toBe(201);
    expect(((await idn.json()) as { hostname: string }).hostname).toMatch(/^xn--bcher-.*\.acme\.test$/);
    // The operator may attach a wildcard: it serves every name one level below.
    await upload(t, fixtures.photo1000x800.path);
    const zone = `${unique('wild')}.test`;
    expect((await attach(t.tenantId, `*.${zone}`)).status).toBe(201);
    expect((await SELF.fetch(`http://cdn.${zone}/photo.jpg`)).status).toBe(200);
  });

  it('add active hostnames to the zone through Cloudflare for SaaS when configured, and remove them', async () => {
    const t = await newLibraryTenant();
    const zone = unique('zone');
    const saas = { CLOUDFLARE_API_TOKEN: 'saas-token', CLOUDFLARE_ZONE_ID: zone, CLOUDFLARE_API_BASE: `${servers.webFolder}/cf` };
    const host = hostname('saas');
    const admin = (method: string, path: string, body?: unknown) =>
      withEnv(saas, new Request(`${ORIGIN}${path}`, { method, headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));
    expect((await admin('POST', `/admin/v1/tenants/${t.tenantId}/domains`, { hostname: host })).status).toBe(201);
    expect((await admin('DELETE', `/admin/v1/tenants/${t.tenantId}/domains/${host}`)).status).toBe(204);
    const calls = (await (await fetch(`${servers.webFolder}/_cf/${zone}`)).json()) as { method: string; path: string; authorization: string; body: unknown }[];
    expect(calls).toEqual([
      { method: 'POST', path: '/custom_hostnames', authorization: 'Bearer saas-token', body: { hostname: host, ssl: { method: 'http', type: 'dv' } } },
      { method: 'DELETE', path: '/custom_hostnames/cf-1', authorization: 'Bearer saas-token', body: null },
    ]);
  });
});
