/** Every transformation parameter, through the Worker: output dimensions and format for each. */
import { beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/codecs/probe';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

let tenant: string;

beforeAll(async () => {
  tenant = await newTenant();
  // 1000×800 baseline JPEG
  await putOriginal(tenant, 'base.jpg', await fixtureBytes(fixtures.photo1000x800.path));
});

const CASES: [string, number, number][] = [
  ['w-400', 400, 320],
  ['h-200', 250, 200],
  ['w-0.5', 500, 400],
  ['h-0.25', 250, 200],
  ['w-iw_div_4', 250, 200],
  ['w-iw_mul_0.2_add_100', 300, 240],
  ['w-400,h-400', 400, 400],
  ['w-400,h-400,c-maintain_ratio', 400, 400],
  ['w-400,h-400,c-force', 400, 400],
  ['w-400,h-400,c-at_max', 400, 320],
  ['w-2000,h-2000,c-at_max', 1000, 800],
  ['w-2000,c-at_max', 1000, 800],
  ['w-1500,h-1500,c-at_max_enlarge', 1500, 1200],
  ['w-400,h-400,c-at_least', 500, 400],
  ['w-400,ar-4-3', 400, 300],
  ['h-300,ar-1-1', 300, 300],
  ['w-400,h-100,ar-1-1', 400, 100],
  ['w-200,dpr-2', 400, 320],
  ['w-200,h-100,dpr-1.5', 300, 150],
  ['w-400,h-400,cm-pad_resize', 400, 400],
  ['w-400,h-400,cm-pad_resize,fo-left,bg-red', 400, 400],
  ['w-300,h-200,cm-extract', 300, 200],
  ['w-300,h-200,cm-extract,fo-bottom_right', 300, 200],
  ['w-300,h-200,cm-extract,x-10,y-20', 300, 200],
  ['w-300,h-200,x-10,y-20', 300, 200],
  ['w-300,h-200,cm-extract,xc-500,yc-400', 300, 200],
  ['w-1200,h-1000,cm-pad_extract', 1200, 1000],
  ['w-400,h-400,fo-top_left', 400, 400],
  ['w-400,h-400,fo-bottom', 400, 400],
  ['rt-90', 800, 1000],
  ['rt-N90', 800, 1000],
  ['rt-180', 1000, 800],
  ['rt-auto', 1000, 800],
  ['w-100,rt-45', 128, 128],
  ['fl-h', 1000, 800],
  ['fl-v_h', 1000, 800],
  ['w-200,bl-10', 200, 160],
  ['w-200,e-grayscale', 200, 160],
  ['w-200,e-sharpen', 200, 160],
  ['w-200,e-sharpen-20', 200, 160],
  ['w-200,e-usm-2-2-0.8-0.024', 200, 160],
  ['w-200,e-contrast', 200, 160],
  ['w-100,b-5_FF0000', 110, 90],
  ['w-100,b-5_red', 110, 90],
  ['w-200,r-20', 200, 160],
  ['w-200,r-10_20_30_40', 200, 160],
  ['w-200,r-max', 200, 160],
  ['w-200,bg-00FF0050', 200, 160],
  ['w-400:rt-90', 320, 400],
  ['w-400:w-0.5', 200, 160],
  ['w-400:w-cw_div_2', 200, 160],
  ['w-100,h-100,cm-pad_resize,bg-FF0000:t-true', 100, 80],
  ['w-100,h-100,cm-pad_resize,bg-FF0000:t-20', 100, 80],
  ['w-200,q-50', 200, 160],
  ['w-200,pr-true', 200, 160],
  ['w-200,md-true', 200, 160],
];

describe('every parameter gives the documented dimensions', () => {
  it.each(CASES)('%s → %i×%i', async (tr, width, height) => {
    const res = await get(`/${tenant}/tr:${tr}/base.jpg`);
    expect(res.status, tr).toBe(200);
    const frame = await decodeResponse(res);
    expect([frame.width, frame.height]).toEqual([width, height]);
  });
});

describe('output format', () => {
  const FORMATS: [string, string, string][] = [
    ['f-webp', 'webp', 'image/webp'],
    ['f-png', 'png', 'image/png'],
    ['f-avif', 'avif', 'image/avif'],
    ['f-jpg', 'jpeg', 'image/jpeg'],
    ['f-jpeg', 'jpeg', 'image/jpeg'],
    ['f-orig', 'jpeg', 'image/jpeg'],
  ];
  it.each(FORMATS)('%s gives %s', async (tr, format, mime) => {
    const res = await get(`/${tenant}/tr:w-120,${tr}/base.jpg`, { headers: { Accept: 'image/avif,image/webp,*/*' } });
    expect(res.headers.get('Content-Type')).toBe(mime);
    expect(res.headers.get('Vary')).toBeNull();
    const frame = await decodeResponse(res);
    expect(frame.format).toBe(format);
    expect(frame.width).toBe(120);
  });

  it.each([
    ['image/avif,image/webp,*/*', 'image/avif'],
    ['image/webp,*/*', 'image/webp'],
    ['image/avif;q=0,image/webp', 'image/webp'],
    ['*/*', 'image/jpeg'],
    ['', 'image/jpeg'],
  ])('f-auto with Accept "%s" gives %s and varies on Accept', async (accept, mime) => {
    for (const tr of ['w-100', 'w-100,f-auto']) {
      const res = await get(`/${tenant}/tr:${tr}/base.jpg`, { headers: accept ? { Accept: accept } : {} });
      expect(res.headers.get('Content-Type')).toBe(mime);
      expect(res.headers.get('Vary')).toBe('Accept');
      expect(probe(new Uint8Array(await res.arrayBuffer())).format).toBe(mime.slice(6));
    }
  });

  it('q changes the size of lossy output', async () => {
    const low = await (await get(`/${tenant}/tr:w-400,q-20/base.jpg`)).arrayBuffer();
    const high = await (await get(`/${tenant}/tr:w-400,q-95/base.jpg`)).arrayBuffer();
    expect(high.byteLength).toBeGreaterThan(low.byteLength * 1.5);
  });

  it('pr-true gives a progressive JPEG, the default a baseline one', async () => {
    const progressive = probe(new Uint8Array(await (await get(`/${tenant}/tr:w-200,pr-true/base.jpg`)).arrayBuffer()));
    const baseline = probe(new Uint8Array(await (await get(`/${tenant}/tr:w-200/base.jpg`)).arrayBuffer()));
    expect(progressive.progressive).toBe(true);
    expect(baseline.progressive).toBe(false);
  });

  it('lo-true gives lossless WebP', async () => {
    const bytes = new Uint8Array(await (await get(`/${tenant}/tr:w-64,lo-true,f-webp/base.jpg`)).arrayBuffer());
    const chunk = String.fromCharCode(...bytes.subarray(12, 16));
    expect(chunk).toBe('VP8L');
  });
});
