/**
 * HTTP as a CDN speaks it: byte ranges (variants from every cache tier, originals read in ranges from R2), HEAD,
 * Last-Modified and If-Modified-Since with If-None-Match taking precedence, CORS, the sandbox policy on files a
 * browser could run, the canonical link of origins that ask for it, and w-auto from the width client hint.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { callApi, newTenantWithKey } from '../api-helpers';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';
import { putWeb, servers, unique } from '../origin-servers';

const cacheStatus = (response: Response) => /cache;desc=([a-z-]+)/.exec(response.headers.get('Server-Timing') ?? '')?.[1];
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

/** Bytes no codec reads, stored as a video: delivered as they are. */
function movie(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

/** Requests `path` until a cache tier answers (the variant is stored after the first response). */
async function untilHit(path: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await get(path, init);
    if (cacheStatus(response)?.startsWith('hit')) return response;
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no cache hit for ${path}`);
}

let tenant: string;
let video: Uint8Array;

beforeAll(async () => {
  tenant = await newTenant();
  video = movie(300_000);
  await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
  await putOriginal(tenant, 'clip.mp4', video, 'video/mp4');
  await putOriginal(tenant, 'secret.jpg', await fixtureBytes(fixtures.photo1000x800.path), 'image/jpeg', { isPrivate: true });
});

describe('ranges', () => {
  it('a variant answers one range with 206 and exactly those bytes, on a miss and on a hit', async () => {
    const path = `/${tenant}/tr:w-300/p.jpg`;
    const whole = await get(path);
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
    const full = await bytesOf(whole);
    const hit = await untilHit(path, { headers: { Range: 'bytes=100-199' } });
    expect(hit.status).toBe(206);
    expect(hit.headers.get('Content-Range')).toBe(`bytes 100-199/${full.length}`);
    expect(hit.headers.get('Content-Length')).toBe('100');
    expect(await bytesOf(hit)).toEqual(full.subarray(100, 200));

    const miss = await get(`/${tenant}/tr:w-301/p.jpg`, { headers: { Range: 'bytes=-50' } });
    expect(miss.status).toBe(206);
    const size = Number(miss.headers.get('Content-Range')!.split('/')[1]);
    expect(miss.headers.get('Content-Range')).toBe(`bytes ${size - 50}-${size - 1}/${size}`);
    const tail = await bytesOf(miss);
    expect(tail.length).toBe(50);
    expect(tail[48]).toBe(0xff); // a JPEG ends with its EOI marker, FF D9
    expect(tail[49]).toBe(0xd9);
  });

  it('an original is read in ranges from storage: open-ended, suffix, clipped at the end', async () => {
    const path = `/${tenant}/clip.mp4`;
    const open = await get(path, { headers: { Range: 'bytes=299000-' } });
    expect(open.status).toBe(206);
    expect(open.headers.get('Content-Type')).toBe('video/mp4');
    expect(open.headers.get('Content-Range')).toBe('bytes 299000-299999/300000');
    expect(await bytesOf(open)).toEqual(video.subarray(299000));

    const middle = await get(path, { headers: { Range: 'bytes=1000-1999' } });
    expect(await bytesOf(middle)).toEqual(video.subarray(1000, 2000));

    const clipped = await get(path, { headers: { Range: 'bytes=299990-400000' } });
    expect(clipped.headers.get('Content-Range')).toBe('bytes 299990-299999/300000');
    expect((await bytesOf(clipped)).length).toBe(10);

    const whole = await get(path);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('Content-Length')).toBe('300000');
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
    expect(await bytesOf(whole)).toEqual(video);
  });

  it('files that are no image stream past maxInputBytes, which bounds decoding only', async () => {
    const small = await newTenant({ limits: { maxInputBytes: 1024 } });
    await putOriginal(small, 'big.mp4', video, 'video/mp4');
    const whole = await get(`/${small}/big.mp4`);
    expect(whole.status).toBe(200);
    expect((await bytesOf(whole)).length).toBe(300000);
    const part = await get(`/${small}/big.mp4`, { headers: { Range: 'bytes=150000-150009' } });
    expect(part.status).toBe(206);
    expect(await bytesOf(part)).toEqual(video.subarray(150000, 150010));
  });

  it('a range past the end is 416 with the size; several ranges or a malformed one get the whole file', async () => {
    const past = await get(`/${tenant}/clip.mp4`, { headers: { Range: 'bytes=300000-' } });
    expect(past.status).toBe(416);
    expect(past.headers.get('Content-Range')).toBe('bytes */300000');
    expect(((await past.json()) as { message: string }).message).toMatch(/range/);

    const variant = await get(`/${tenant}/tr:w-300/p.jpg`, { headers: { Range: 'bytes=99999999-' } });
    expect(variant.status).toBe(416);
    expect(variant.headers.get('Content-Range')).toMatch(/^bytes \*\/\d+$/);

    for (const range of ['bytes=0-9,20-29', 'bytes=abc', 'items=0-9', 'bytes=9-0']) {
      const res = await get(`/${tenant}/clip.mp4`, { headers: { Range: range } });
      expect(res.status, range).toBe(200);
      expect((await bytesOf(res)).length, range).toBe(300000);
    }
  });

  it('If-Range: the current ETag or Last-Modified keeps the range, anything else sends the whole file', async () => {
    const head = await get(`/${tenant}/clip.mp4`, { method: 'HEAD' });
    const etag = head.headers.get('ETag')!;
    const lastModified = head.headers.get('Last-Modified')!;
    expect(etag).toMatch(/^"/);
    expect(new Date(lastModified).getTime()).toBeGreaterThan(0);
    const ask = (ifRange: string) => get(`/${tenant}/clip.mp4`, { headers: { Range: 'bytes=0-9', 'If-Range': ifRange } });
    expect((await ask(etag)).status).toBe(206);
    expect((await ask(lastModified)).status).toBe(206);
    expect((await ask('"another-version"')).status).toBe(200);
    expect((await ask(`W/${etag}`)).status).toBe(200);
    expect((await ask('Tue, 01 Jan 2019 00:00:00 GMT')).status).toBe(200);

    const variantEtag = (await get(`/${tenant}/tr:w-300/p.jpg`)).headers.get('ETag')!;
    const variant = await get(`/${tenant}/tr:w-300/p.jpg`, { headers: { Range: 'bytes=0-9', 'If-Range': variantEtag } });
    expect(variant.status).toBe(206);
  });
});

describe('HEAD', () => {
  it('answers the same headers as GET, without a body, for variants and originals', async () => {
    for (const path of [`/${tenant}/tr:w-200/p.jpg`, `/${tenant}/clip.mp4`, `/${tenant}/tr:orig-true/p.jpg`]) {
      const got = await get(path);
      const body = await bytesOf(got);
      const head = await get(path, { method: 'HEAD' });
      expect(head.status, path).toBe(200);
      expect((await head.arrayBuffer()).byteLength, path).toBe(0);
      for (const name of ['Content-Type', 'Content-Length', 'ETag', 'Last-Modified', 'Accept-Ranges', 'Cache-Control', 'Access-Control-Allow-Origin']) {
        expect(head.headers.get(name), `${path} ${name}`).toBe(got.headers.get(name));
      }
      expect(Number(head.headers.get('Content-Length')), path).toBe(body.length);
    }
  });
});

describe('Last-Modified and conditional requests', () => {
  it('If-Modified-Since at or after Last-Modified is 304; before it, 200', async () => {
    for (const path of [`/${tenant}/tr:w-120/p.jpg`, `/${tenant}/clip.mp4`]) {
      const first = await get(path);
      await first.arrayBuffer();
      const lastModified = first.headers.get('Last-Modified')!;
      expect(lastModified, path).toMatch(/GMT$/);
      const same = await get(path, { headers: { 'If-Modified-Since': lastModified } });
      expect(same.status, path).toBe(304);
      expect(same.headers.get('ETag'), path).toBe(first.headers.get('ETag'));
      expect(await same.text()).toBe('');
      const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
      const changed = await get(path, { headers: { 'If-Modified-Since': earlier } });
      expect(changed.status, path).toBe(200);
      await changed.arrayBuffer();
    }
  });

  it('If-None-Match takes precedence: a stale ETag gets 200 even when If-Modified-Since would match', async () => {
    const path = `/${tenant}/tr:w-121/p.jpg`;
    const first = await get(path);
    await first.arrayBuffer();
    const headers = { 'If-None-Match': '"not-this-one"', 'If-Modified-Since': new Date(Date.now() + 3_600_000).toUTCString() };
    expect((await get(path, { headers })).status).toBe(200);
    const matching = await get(path, { headers: { ...headers, 'If-None-Match': first.headers.get('ETag')! } });
    expect(matching.status).toBe(304);
    const original = await get(`/${tenant}/clip.mp4`, { headers });
    expect(original.status).toBe(200);
    await original.arrayBuffer();
  });
});

describe('CORS', () => {
  it('public files are open to every origin by default, with Timing-Allow-Origin', async () => {
    const res = await get(`/${tenant}/tr:w-50/p.jpg`, { headers: { Origin: 'https://shop.example' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Timing-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('Server-Timing');
    expect(res.headers.get('Vary') ?? '').not.toContain('Origin');
  });

  it('private files get no CORS headers from "*"', async () => {
    // Named transformations serve private files without a signature.
    const res = await get(`/${tenant}/tr:n-ik_ml_thumbnail/secret.jpg`, { headers: { Origin: 'https://shop.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(res.headers.get('Timing-Allow-Origin')).toBeNull();
  });

  it('a list of origins echoes the matching one with Vary: Origin, and opens private files to it', async () => {
    const listed = await newTenant({ cors: { allowOrigins: ['https://shop.example', 'https://admin.example'] } });
    await putOriginal(listed, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    await putOriginal(listed, 's.jpg', await fixtureBytes(fixtures.photo1000x800.path), 'image/jpeg', { isPrivate: true });
    const match = await get(`/${listed}/tr:w-50/p.jpg`, { headers: { Origin: 'https://shop.example' } });
    expect(match.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
    expect(match.headers.get('Timing-Allow-Origin')).toBe('https://shop.example');
    expect(match.headers.get('Vary')).toContain('Origin');
    expect(match.headers.get('Vary')).toContain('Accept');
    const other = await get(`/${listed}/tr:w-50/p.jpg`, { headers: { Origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(other.headers.get('Vary')).toContain('Origin');
    const secret = await get(`/${listed}/tr:n-ik_ml_thumbnail/s.jpg`, { headers: { Origin: 'https://admin.example' } });
    expect(secret.headers.get('Access-Control-Allow-Origin')).toBe('https://admin.example');
  });

  it('an empty list turns CORS off', async () => {
    const closed = await newTenant({ cors: { allowOrigins: [] } });
    await putOriginal(closed, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    const res = await get(`/${closed}/tr:w-50/p.jpg`, { headers: { Origin: 'https://shop.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('answers a delivery preflight with the methods and headers a page may use', async () => {
    const res = await get(`/${tenant}/tr:w-50/p.jpg`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET, HEAD');
    expect(res.headers.get('Access-Control-Allow-Headers')).toContain('Range');
    expect(Number(res.headers.get('Access-Control-Max-Age'))).toBeGreaterThan(0);
  });

  it('errors of public requests are readable too', async () => {
    const res = await get(`/${tenant}/tr:w-x/p.jpg`, { headers: { Origin: 'https://shop.example' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });
});

describe('files a browser could run', () => {
  const SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
  const text = (s: string) => new TextEncoder().encode(s);

  it('SVG with script and foreignObject, XML with an XHTML script, PDF: inline under the sandbox policy', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(3)"/></foreignObject></svg>';
    const xml = '<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(document.domain)</x:script>';
    const cases: Array<[string, string, string]> = [
      ['evil.svg', 'image/svg+xml', svg],
      ['evil.xml', 'application/xml', xml],
      ['doc.pdf', 'application/pdf', '%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF'],
    ];
    for (const [name, type, body] of cases) {
      await putOriginal(tenant, `active/${name}`, text(body), type);
      const res = await get(`/${tenant}/active/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('Content-Type'), name).toBe(type);
      expect(res.headers.get('Content-Security-Policy'), name).toBe(SANDBOX);
      expect(res.headers.get('X-Content-Type-Options'), name).toBe('nosniff');
      expect(res.headers.get('Content-Disposition'), name).toBeNull();
      expect(await res.text(), name).toBe(body);
    }
  });

  it('HTML and XHTML go out as downloads, under the sandbox policy as well', async () => {
    for (const [name, type] of [['page.html', 'text/html; charset=utf-8'], ['page.xhtml', 'application/xhtml+xml']]) {
      await putOriginal(tenant, `active/${name}`, text('<html><body><script>alert(1)</script></body></html>'), type);
      const res = await get(`/${tenant}/active/${name}`);
      expect(res.headers.get('Content-Disposition'), name).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
      expect(res.headers.get('Content-Security-Policy'), name).toBe(SANDBOX);
      await res.arrayBuffer();
    }
  });

  it('images carry the policy too (it governs only what a document runs)', async () => {
    const res = await get(`/${tenant}/tr:w-60/p.jpg`);
    expect(res.headers.get('Content-Security-Policy')).toBe(SANDBOX);
    expect((await decodeResponse(res)).width).toBe(60);
  });
});

describe('w-auto and client hints', () => {
  it('takes the width from Sec-CH-Width (or Width), rounded up to 100, and varies on it', async () => {
    const hinted = await get(`/${tenant}/tr:w-auto/p.jpg`, { headers: { 'Sec-CH-Width': '317', Accept: 'image/jpeg' } });
    expect(hinted.status).toBe(200);
    expect(hinted.headers.get('Vary')).toContain('Sec-CH-Width');
    expect(hinted.headers.get('Vary')).toContain('Width');
    expect(hinted.headers.get('Accept-CH')).toContain('Sec-CH-Width');
    expect((await decodeResponse(hinted)).width).toBe(400);
    const legacy = await get(`/${tenant}/tr:w-auto/p.jpg`, { headers: { Width: '333' } });
    // The same rounded width is the same variant.
    expect(legacy.headers.get('ETag')).toBe(hinted.headers.get('ETag'));
    expect((await decodeResponse(legacy)).width).toBe(400);
  });

  it('without a hint keeps the width as it is, and still varies on the hint', async () => {
    const res = await get(`/${tenant}/tr:w-auto,h-100/p.jpg`);
    expect(res.headers.get('Vary')).toContain('Sec-CH-Width');
    expect((await decodeResponse(res)).height).toBe(100);
    const plain = await get(`/${tenant}/tr:w-auto/p.jpg`, { headers: { 'Sec-CH-Width': 'wide' } });
    expect((await decodeResponse(plain)).width).toBe(1000);
  });

  it('dpr-auto varies on the DPR hints', async () => {
    const res = await get(`/${tenant}/tr:w-100,dpr-auto/p.jpg`, { headers: { 'Sec-CH-DPR': '2' } });
    expect(res.headers.get('Vary')).toContain('Sec-CH-DPR');
    expect((await decodeResponse(res)).width).toBe(200);
  });

  it('w- values other than auto and the grammar are a 400 naming w', async () => {
    const res = await get(`/${tenant}/tr:w-autos/p.jpg`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('auto');
  });
});

describe('canonical link', () => {
  it('origins with includeCanonicalHeader send Link rel=canonical to their base URL, others none', async () => {
    const t = await newTenantWithKey();
    const namespace = unique('canonical');
    await putWeb(`${namespace}/a/p.jpg`, await fixtureBytes(fixtures.photo1000x800.path), { contentType: 'image/jpeg' });
    const post = async (path: string, body: Record<string, unknown>) => {
      const response = await callApi(t.auth, 'POST', path, body);
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string };
    };
    const baseUrl = `${servers.webFolder}/files/${namespace}/`;
    const linked = await post('/v1/accounts/origins', {
      type: 'WEB_FOLDER', name: 'linked', baseUrl, includeCanonicalHeader: true, baseUrlForCanonicalHeader: 'https://www.shop.example/media/',
    });
    const plain = await post('/v1/accounts/origins', { type: 'WEB_FOLDER', name: 'plain', baseUrl });
    await post('/v1/accounts/url-endpoints', { description: 'linked', urlPrefix: 'linked', origins: [linked.id] });
    await post('/v1/accounts/url-endpoints', { description: 'plain', urlPrefix: 'plain', origins: [plain.id] });
    const res = await get(`/${t.tenantId}/linked/tr:w-80/a/p.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Link')).toBe('<https://www.shop.example/media/a/p.jpg>; rel="canonical"');
    await res.arrayBuffer();
    const none = await get(`/${t.tenantId}/plain/tr:w-80/a/p.jpg`);
    expect(none.status).toBe(200);
    expect(none.headers.get('Link')).toBeNull();
    await none.arrayBuffer();
  });
});
