/**
 * The Worker's side of serving the dashboard (the pool runs the Worker first, as `run_worker_first` does in
 * production; test/e2e checks the routing of a real `wrangler dev` in a browser).
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const get = (path: string, init?: RequestInit) => SELF.fetch(`https://edgepix.test${path}`, init);

describe('the dashboard', () => {
  it('serves its page at /app/ with a strict content security policy', async () => {
    const res = await get('/app/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Cache-Control')).toBe('no-cache');
    expect(await res.text()).toContain('<main id="root">');
  });

  it('answers its client-side routes with the same page', async () => {
    const page = await (await get('/app/')).text();
    for (const path of ['/app/settings', '/app/users/invite', '/app/login?tenant=acme']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(page);
    }
  });

  it('serves its hashed scripts as immutable, and a missing file as a 404 rather than the page', async () => {
    const page = await (await get('/app/')).text();
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(page)![1]!;
    const res = await get(script);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/javascript/);
    expect(res.headers.get('Cache-Control')).toContain('immutable');
    const missing = await get('/app/assets/gone-0000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Cache-Control')).toBe('no-cache');
  });

  it('sends /app to /app/ and keeps /app/api/ for the API', async () => {
    const bare = await get('/app?x=1', { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('Location')).toBe('/app/?x=1');
    const api = await get('/app/api/no-such-route');
    expect(api.status).toBe(404);
    expect(api.headers.get('Content-Type')).toMatch(/json/);
    expect(await api.text()).not.toContain('<main');
    expect((await get('/app/settings', { method: 'POST' })).status).toBe(405);
  });

  it('is never answered for image or API paths', async () => {
    const image = await get('/no-such-tenant/photo.jpg', { headers: { Accept: 'text/html' } });
    expect(image.status).toBe(404);
    expect(await image.text()).not.toContain('<main');
    const api = await get('/v1/files', { headers: { Accept: 'text/html' } });
    expect(api.status).toBe(401);
    expect(await api.text()).not.toContain('<main');
  });
});
