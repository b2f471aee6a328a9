/**
 * SVG originals: served as stored when untransformed, rasterised with resvg when transformed (at the size the
 * steps need, within the limits), never reading anything outside the document, and broken ones a 4xx JSON.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';
import { putWeb, servers, unique, webLog } from '../origin-servers';

const encode = (text: string) => new TextEncoder().encode(text);

/** A red 60×40 rectangle at (20, 10) on a transparent 200×100 user space, drawn at `width` × `height`. */
const rectSvg = (width: number | string, height: number | string) =>
  `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 200 100">` +
  '<rect x="20" y="10" width="60" height="40" fill="#ff0000"/></svg>';

let tenant: string;
let namespace: string;
beforeAll(async () => {
  tenant = await newTenant();
  namespace = unique('svg-refs');
  await putWeb(`${namespace}/red.png`, await fixtureBytes(fixtures.landscape0.path), { contentType: 'image/jpeg' });
  const external = `${servers.webFolder}/files/${namespace}/red.png`;
  const originals: Record<string, string> = {
    'rect.svg': rectSvg(200, 100),
    'scaled.svg': rectSvg(400, 200),
    'huge.svg': rectSvg(100000, 50000),
    'icon.svg': rectSvg(20, 10),
    'no-size.svg': '<svg xmlns="http://www.w3.org/2000/svg"><rect width="50" height="50" fill="blue"/></svg>',
    'external.svg':
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">' +
      `<image x="0" y="0" width="50" height="50" href="${external}"/>` +
      `<image x="50" y="0" width="50" height="50" xlink:href="${external}?xlink"/>` +
      '<image x="0" y="50" width="50" height="50" href="file:///etc/passwd"/>' +
      `<use x="50" y="50" href="${servers.webFolder}/files/${namespace}/shapes.svg#square"/>` +
      `<rect x="60" y="60" width="10" height="10" fill="lime"/></svg>`,
    'filtered.svg':
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="b"><feGaussianBlur stdDeviation="2"/></filter>' +
      '<g filter="url(#b)" opacity="0.5"><rect width="50" height="50" fill="red"/></g></svg>',
    'translucent.svg':
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect width="20" height="20" fill="#ff0000" fill-opacity="0.5"/></svg>',
    'broken.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"></svg>',
    'sizeless.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="10"></svg>',
  };
  for (const [name, text] of Object.entries(originals)) await putOriginal(tenant, name, encode(text), 'image/svg+xml');
});

const pixel = (frame: { width: number; data: Uint8ClampedArray }, x: number, y: number) =>
  Array.from(frame.data.subarray((y * frame.width + x) * 4, (y * frame.width + x) * 4 + 4));

describe('SVG originals', () => {
  it('are served as stored when nothing asks to change them, under the sandbox policy', async () => {
    const response = await get(`/${tenant}/rect.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(response.headers.get('Content-Security-Policy')).toContain('sandbox');
    expect(await response.text()).toBe(rectSvg(200, 100));
  });

  it('rasterise at their declared size: the rectangle where the document puts it', async () => {
    const response = await get(`/${tenant}/tr:f-png/rect.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/png');
    const frame = await decodeResponse(response);
    expect([frame.width, frame.height]).toEqual([200, 100]);
    expect(pixel(frame, 20, 10)).toEqual([255, 0, 0, 255]);
    expect(pixel(frame, 79, 49)).toEqual([255, 0, 0, 255]);
    for (const [x, y] of [[19, 30], [80, 30], [50, 9], [50, 50], [150, 80]] as const) expect(pixel(frame, x, y)[3]).toBe(0);
  });

  it('keep translucent colours straight (resvg draws premultiplied)', async () => {
    const frame = await decodeResponse(await get(`/${tenant}/tr:f-png/translucent.svg`));
    const [r, g, b, a] = pixel(frame, 10, 10);
    expect([r, g, b]).toEqual([255, 0, 0]);
    expect(Math.abs(a! - 128)).toBeLessThanOrEqual(1);
  });

  it('scale the viewBox to width and height', async () => {
    const frame = await decodeResponse(await get(`/${tenant}/tr:f-png/scaled.svg`));
    expect([frame.width, frame.height]).toEqual([400, 200]);
    expect(pixel(frame, 40, 20)).toEqual([255, 0, 0, 255]);
    expect(pixel(frame, 159, 99)).toEqual([255, 0, 0, 255]);
    expect(pixel(frame, 39, 50)[3]).toBe(0);
    expect(pixel(frame, 160, 50)[3]).toBe(0);
  });

  it('are drawn at the requested size, so a huge declared size costs nothing', async () => {
    for (const name of ['rect.svg', 'huge.svg']) {
      const frame = await decodeResponse(await get(`/${tenant}/tr:w-100,f-png/${name}`));
      expect([frame.width, frame.height]).toEqual([100, 50]);
      // Drawn, not scaled down from a larger raster: the rectangle's edges stay sharp.
      expect(pixel(frame, 10, 5)).toEqual([255, 0, 0, 255]);
      expect(pixel(frame, 39, 24)).toEqual([255, 0, 0, 255]);
      expect(pixel(frame, 9, 5)[3]).toBe(0);
      expect(pixel(frame, 40, 24)[3]).toBe(0);
    }
  });

  it('are drawn larger than declared when asked, so a small icon shown large stays sharp', async () => {
    const frame = await decodeResponse(await get(`/${tenant}/tr:w-200,h-100,f-png/icon.svg`));
    expect([frame.width, frame.height]).toEqual([200, 100]);
    expect(pixel(frame, 20, 10)).toEqual([255, 0, 0, 255]);
    expect(pixel(frame, 79, 49)).toEqual([255, 0, 0, 255]);
    expect(pixel(frame, 19, 30)[3]).toBe(0);
    expect(pixel(frame, 80, 30)[3]).toBe(0);
  });

  it('refuse a huge declared size the steps would draw whole, with a 422 JSON, before drawing', async () => {
    const response = await get(`/${tenant}/tr:bl-2/huge.svg`);
    expect(response.status).toBe(422);
    const body = await json(response);
    expect(body.message).toContain('would be drawn at 100000×50000');
    expect(body.help).toBeTruthy();
  });

  it('need a viewBox or an absolute width and height to be transformed (served as stored without)', async () => {
    const response = await get(`/${tenant}/tr:f-png/no-size.svg`);
    expect(response.status).toBe(422);
    expect((await json(response)).message).toContain('neither a viewBox nor an absolute width and height');
    expect((await get(`/${tenant}/no-size.svg`)).status).toBe(200);
  });

  it('are costed by what they use before drawing: a filtered document drawn large is refused within the SVG budget', async () => {
    expect((await get(`/${tenant}/tr:w-1000/filtered.svg`)).status).toBe(200);
    const refused = await get(`/${tenant}/tr:w-1600/filtered.svg`);
    expect(refused.status).toBe(422);
    const body = await json(refused);
    expect(body.message).toMatch(/one request may use 64 MB of the isolate's memory to draw an SVG/);
    // The same size of a plain document fits.
    expect((await get(`/${tenant}/tr:w-1600/rect.svg`)).status).toBe(200);
  });

  it('become WebP or PNG under f-auto, as the client accepts', async () => {
    const webp = await get(`/${tenant}/tr:w-50/rect.svg`, { headers: { Accept: 'image/webp,*/*' } });
    expect(webp.headers.get('Content-Type')).toBe('image/webp');
    expect((await decodeResponse(webp)).width).toBe(50);
    const png = await get(`/${tenant}/tr:w-50/rect.svg`);
    expect(png.headers.get('Content-Type')).toBe('image/png');
  });

  it('never read what they reference outside themselves: http(s) images and uses, file: paths', async () => {
    const frame = await decodeResponse(await get(`/${tenant}/tr:f-png/external.svg`));
    expect([frame.width, frame.height]).toEqual([100, 100]);
    // The document's own shape is drawn; where the outside images would be, nothing.
    expect(pixel(frame, 65, 65)).toEqual([0, 255, 0, 255]);
    for (const [x, y] of [[25, 25], [75, 25], [25, 75], [55, 55]] as const) expect(pixel(frame, x, y)[3]).toBe(0);
    expect(await webLog(namespace)).toEqual([]);
  });

  it('answer a broken document with a 4xx JSON error', async () => {
    for (const name of ['broken.svg', 'sizeless.svg']) {
      const response = await get(`/${tenant}/tr:w-5/${name}`);
      expect(response.status).toBe(422);
      expect(response.headers.get('Content-Type')).toContain('application/json');
      const body = await json(response);
      expect(body.message).toMatch(/SVG|image/);
      expect(body.help).toBeTruthy();
    }
  });
});
