/** What every delivery response carries, and the output-scoped parameters orig, di, md. */
import { beforeAll, describe, expect, it } from 'vitest';
import { findExifSegment } from '../../../src/codecs/metadata';
import { probe } from '../../../src/codecs/probe';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

let tenant: string;
let photo: Uint8Array;

beforeAll(async () => {
  tenant = await newTenant();
  photo = await fixtureBytes(fixtures.photo1000x800.path);
  await putOriginal(tenant, 'p.jpg', photo);
  await putOriginal(tenant, 'exif/six.jpg', await fixtureBytes(fixtures.landscape6.path));
  await putOriginal(tenant, 'defaults/missing.png', await fixtureBytes(fixtures.basn6a08.path), 'image/png');
  await putOriginal(tenant, 'dir/mon image é.jpg', photo);
});

describe('headers', () => {
  it('Server-Timing reports cache status and each stage', async () => {
    const res = await get(`/${tenant}/tr:w-50/p.jpg`);
    const timing = res.headers.get('Server-Timing')!;
    expect(timing).toMatch(/^cache;desc=miss, origin;dur=[\d.]+, decode;dur=[\d.]+, transform;dur=[\d.]+, encode;dur=[\d.]+, total;dur=[\d.]+$/);
  });

  it('errors carry Server-Timing too', async () => {
    const res = await get(`/${tenant}/tr:w-x/p.jpg`);
    expect(res.headers.get('Server-Timing')).toMatch(/total;dur=/);
  });

  it('every response has nosniff', async () => {
    for (const path of [`/${tenant}/p.jpg`, `/${tenant}/tr:orig-true/p.jpg`, `/${tenant}/missing.jpg`, '/healthz']) {
      expect((await get(path)).headers.get('X-Content-Type-Options'), path).toBe('nosniff');
    }
  });

  it('ik-attachment=true downloads under the file name', async () => {
    const same = await get(`/${tenant}/tr:w-50/p.jpg?ik-attachment=true`);
    expect(same.headers.get('Content-Disposition')).toBe(`attachment; filename="p.jpg"; filename*=UTF-8''p.jpg`);
    const webp = await get(`/${tenant}/tr:w-50,f-webp/p.jpg?ik-attachment=true`);
    expect(webp.headers.get('Content-Disposition')).toContain('filename="p.webp"');
    const plain = await get(`/${tenant}/tr:w-50/p.jpg`);
    expect(plain.headers.get('Content-Disposition')).toBeNull();
  });

  it('percent-encoded and non-ASCII paths resolve', async () => {
    const res = await get(`/${tenant}/dir/mon%20image%20%C3%A9.jpg?tr=w-64`);
    expect(res.status).toBe(200);
    expect((await decodeResponse(res)).width).toBe(64);
  });

  it('HEAD answers like GET without a body', async () => {
    const res = await get(`/${tenant}/tr:w-40/p.jpg`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/jpeg');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('unknown query parameters are ignored', async () => {
    const res = await get(`/${tenant}/p.jpg?tr=w-70&updatedAt=1700000000000&ik-sdk-version=javascript-1.4.3&foo=bar`);
    expect(res.status).toBe(200);
    expect((await decodeResponse(res)).width).toBe(70);
  });
});

describe('output parameters', () => {
  it('orig-true returns the stored bytes untouched', async () => {
    const res = await get(`/${tenant}/tr:orig-true,w-10/p.jpg`, { headers: { Accept: 'image/avif,image/webp' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/jpeg');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(photo);
  });

  it('di serves the default image, transformed, when the file is missing', async () => {
    const res = await get(`/${tenant}/tr:w-64,f-png,di-@@defaults@@missing.png/no/such/file.jpg`);
    expect(res.status).toBe(200);
    const frame = await decodeResponse(res);
    expect([frame.width, frame.height]).toEqual([64, 64]);
    const absent = await get(`/${tenant}/tr:w-64,di-@@defaults@@absent.png/no/such/file.jpg`);
    expect(absent.status).toBe(404);
  });

  it('md-true keeps EXIF with the orientation reset, since pixels are already upright', async () => {
    const kept = new Uint8Array(await (await get(`/${tenant}/tr:w-120,md-true,f-jpg/exif/six.jpg`)).arrayBuffer());
    expect(findExifSegment(kept)).toBeDefined();
    const info = probe(kept);
    expect(info.orientation).toBe(1);
    // Landscape_6 is stored on its side; upright it is landscape again
    expect([info.width, info.height]).toEqual([120, 80]);
    const stripped = new Uint8Array(await (await get(`/${tenant}/tr:w-120,f-jpg/exif/six.jpg`)).arrayBuffer());
    expect(findExifSegment(stripped)).toBeUndefined();
  });
});
