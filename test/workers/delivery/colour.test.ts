/**
 * Colour through delivery: a Display P3 original is converted to sRGB by default (and its profile dropped, the
 * pixels now being sRGB); `cp-true` keeps the profile, unapplied, in every output format; `md-true` keeps the
 * EXIF (orientation reset to 1) in every output format that takes it here. Each output is read back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { jpegWithMetadata } from '../../../src/codecs/embed/jpeg-png';
import { readExif } from '../../../src/codecs/metadata';
import { probe } from '../../../src/codecs/probe';
import { loadedModules, wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { fixtures } from '../../fixtures/registry';
import { decodeImage, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

let tenant: string;
let p3Icc: Uint8Array;
let exif: Uint8Array;

const FORMATS = ['jpeg', 'png', 'webp', 'avif'] as const;

beforeAll(async () => {
  tenant = await newTenant();
  const p3 = await fixtureBytes(fixtures.colourP3Jpeg.path);
  p3Icc = probe(p3).colour!.icc!;
  // The P3 photo with the EXIF of a photo stored on its side (orientation 6).
  exif = readExif(await fixtureBytes(fixtures.landscape6.path), 'jpeg')!;
  await putOriginal(tenant, 'p3.jpg', jpegWithMetadata(p3, { exif }));
});

const fetchBytes = async (path: string) => {
  const res = await get(path);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
};

/** Mean of each channel over the image. */
async function means(bytes: Uint8Array): Promise<number[]> {
  const { data } = await decodeImage(bytes);
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
  return sum.map((s) => s / (data.length / 4));
}

describe('colour profiles', () => {
  it('converts a P3 original to sRGB by default, with Little CMS, and writes no profile', async () => {
    const converted = await fetchBytes(`/${tenant}/tr:w-120,f-png/p3.jpg`);
    expect(probe(converted).colour).toBeUndefined();
    expect(loadedModules()).toContain('edgepixLcms');
    // The transform and one 1 MB strip: the rows stay with the decoder and the resizer.
    expect(wasmMemoryByModule().edgepixLcms).toBeLessThanOrEqual(2 << 20);
    const kept = await fetchBytes(`/${tenant}/tr:w-120,f-png,cp-true/p3.jpg`);
    // Saturated P3 values become less extreme sRGB ones: the channel means move by several levels.
    const [a, b] = [await means(converted), await means(kept)];
    expect(Math.max(...a.map((v, c) => Math.abs(v - b[c]!)))).toBeGreaterThan(3);
  });

  it.each(FORMATS)('cp-true keeps the original profile in %s output', async (format) => {
    const out = await fetchBytes(`/${tenant}/tr:w-120,f-${format},cp-true/p3.jpg`);
    const info = probe(out);
    expect(info.format).toBe(format);
    expect(info.colour?.icc).toEqual(p3Icc);
    expect((await decodeImage(out)).width).toBe(120);
  });

  it.each(FORMATS)('md-true keeps the EXIF in %s output, orientation reset', async (format) => {
    const out = await fetchBytes(`/${tenant}/tr:w-120,f-${format},md-true/p3.jpg`);
    const kept = readExif(out, format);
    expect(kept).toEqual(exif);
    expect(probe(out).orientation).toBe(1);
    const plain = await fetchBytes(`/${tenant}/tr:w-120,f-${format}/p3.jpg`);
    expect(readExif(plain, format)).toBeUndefined();
  });

  it('cp-true and md-true together in WebP: a VP8X file with ICCP and EXIF', async () => {
    const out = await fetchBytes(`/${tenant}/tr:w-120,f-webp,cp-true,md-true/p3.jpg`);
    expect(probe(out).colour?.icc).toEqual(p3Icc);
    expect(readExif(out, 'webp')).toEqual(exif);
    expect((await decodeImage(out)).width).toBe(120);
  });
});
