/**
 * Colour management end to end, on the codecs the Worker bundles (registered for Node as the benchmark does):
 * an image declared in Display P3, Adobe RGB, CMYK, grey, PNG gAMA/cHRM or AVIF nclx comes out of `w-240` WebP
 * as a colour-managed viewer shows the original. The reference is sharp's conversion of the full-size original
 * to sRGB with its profile, then resized; sharp's own default output (the same request) is measured against it
 * in the same run, and edgepix may be at most 0.5 levels further off. Files whose declaration libvips ignores
 * (gAMA/cHRM, nclx) are referred to the same pixels declared by the equivalent ICC profile.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeWasmModules } from '../../../bench/wasm-modules';
import { jpegWithMetadata, pngWithMetadata } from '../../../src/codecs/embed/jpeg-png';
import { openUpright } from '../../../src/codecs/open';
import { probe, uprightSize } from '../../../src/codecs/probe/index';
import { encoderFor } from '../../../src/codecs/registry';
import { materialize } from '../../../src/image/frame-source';
import { applySteps } from '../../../src/transform/apply-steps';
import { decodeHintFor } from '../../../src/transform/decode-hint';
import { parseTransformation } from '../../../src/transform/parse';
import { fixtures } from '../../fixtures/registry';

const WIDTH = 240;
const read = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));

beforeAll(registerNodeWasmModules);

async function edgepix(bytes: Uint8Array, tr = `w-${WIDTH}`, keepIcc = false): Promise<Uint8Array> {
  const transformation = parseTransformation(tr);
  const info = probe(bytes);
  const original = uprightSize(info);
  const upright = await openUpright(bytes, info, decodeHintFor(transformation, original, info.orientation), { keepIcc });
  const frame = await applySteps(upright, transformation, original);
  return encoderFor('webp').encode(frame, { quality: 80, lossless: false, progressive: false });
}

/** Mean |Δ| over R, G and B (0–255) between two images decoded by sharp, without any colour conversion. */
async function meanDelta(a: Uint8Array | Buffer, b: Uint8Array | Buffer): Promise<number> {
  const rgb = (x: Uint8Array | Buffer) => sharp(x).removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const [x, y] = await Promise.all([rgb(a), rgb(b)]);
  expect([x.info.width, x.info.height]).toEqual([y.info.width, y.info.height]);
  let sum = 0;
  for (let i = 0; i < x.data.length; i++) sum += Math.abs(x.data[i]! - y.data[i]!);
  return sum / x.data.length;
}

/**
 * The colour-managed reference: the full-size original converted to sRGB by sharp (libvips over lcms), then
 * resized. withIccProfile('srgb') rather than toColourspace('srgb'): libvips leaves a 16-bit PNG's profile
 * unapplied with the latter (and in sharp's default output).
 */
async function reference(managed: Uint8Array): Promise<Buffer> {
  const full = await sharp(managed).withIccProfile('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return sharp(full.data, { raw: full.info }).resize(WIDTH).png().toBuffer();
}

/** The Display P3 profile libvips ships, as the P3 fixture carries it. */
const p3Icc = () => probe(read(fixtures.colourP3Jpeg.path)).colour!.icc!;

interface Case {
  name: string;
  file: string;
  /** sharp's default output ignores this file's declaration, so "within 0.5 of sharp" says little: also at most this. */
  ceiling?: number;
  /** The same pixels declared by an ICC profile libvips applies, for files whose own declaration it ignores. */
  managed?: (bytes: Uint8Array) => Promise<Uint8Array>;
}

const asIccPng = async (bytes: Uint8Array) =>
  pngWithMetadata(new Uint8Array(await sharp(bytes).png().toBuffer()), { icc: p3Icc() });

/** What the JPEG cases measure for sharp (1.1–2.0 levels), plus 0.5. */
const CEILING = 2.5;

const CASES: Case[] = [
  { name: 'saturated Display P3 JPEG', file: fixtures.colourP3Jpeg.path },
  { name: 'Adobe RGB JPEG', file: fixtures.colourAdobeRgbJpeg.path },
  { name: 'CMYK JPEG (Adobe inverted) with a profile', file: fixtures.colourCmykJpeg.path },
  { name: 'grey JPEG with a grey profile', file: fixtures.colourGreyJpeg.path },
  { name: '16-bit PNG with iCCP, gAMA and cHRM', file: fixtures.colourP3Png16.path, ceiling: CEILING },
  { name: 'PNG with gAMA and cHRM only', file: fixtures.colourGamaChrmPng.path, managed: asIccPng, ceiling: CEILING },
  { name: 'AVIF with Display P3 nclx code points', file: fixtures.colourP3Avif.path, managed: asIccPng, ceiling: CEILING },
];

describe('conversion to sRGB', () => {
  it.each(CASES)('$name: within 0.5 of sharp', async ({ file, managed, ceiling }) => {
    const original = read(file);
    const ref = await reference(managed ? await managed(original) : original);
    const ours = await meanDelta(await edgepix(original), ref);
    const theirs = await meanDelta(await sharp(original).resize(WIDTH).webp({ quality: 80 }).toBuffer(), ref);
    console.log(`${file}: edgepix ${ours.toFixed(2)}, sharp ${theirs.toFixed(2)}`);
    expect(ours).toBeLessThanOrEqual(theirs + 0.5);
    if (ceiling !== undefined) expect(ours).toBeLessThanOrEqual(ceiling);
  });
});

function differingBytes(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('what the conversion leaves alone', () => {
  it('keeps alpha: an RGBA PNG declaring P3 converts its colours, not its transparency', async () => {
    const plain = read(fixtures.pngAlphaGradient.path);
    const p3 = pngWithMetadata(plain, { icc: p3Icc() });
    const decode = async (bytes: Uint8Array) => materialize(await openUpright(bytes, probe(bytes), {}));
    const [before, after] = [await decode(plain), await decode(p3)];
    let alphaMoved = 0;
    let colourMoved = 0;
    for (let i = 0; i < before.data.length; i += 4) {
      alphaMoved += Math.abs(before.data[i + 3]! - after.data[i + 3]!);
      for (let c = 0; c < 3; c++) colourMoved += Math.abs(before.data[i + c]! - after.data[i + c]!);
    }
    expect(after.hasAlpha).toBe(true);
    expect(alphaMoved).toBe(0);
    expect(colourMoved).toBeGreaterThan(0);
  });

  it('cp-true (keepIcc) leaves an RGB profile unapplied: the pixels are those of the file', async () => {
    const bytes = read(fixtures.colourP3Jpeg.path);
    const info = probe(bytes);
    const kept = await materialize(await openUpright(bytes, info, {}, { keepIcc: true }));
    const unmanaged = await materialize(await openUpright(bytes, { ...info, colour: undefined }, {}));
    expect(differingBytes(kept.data, unmanaged.data)).toBe(0);
  });

  it('converts a CMYK profile even with cp-true: it cannot describe RGB output', async () => {
    const bytes = read(fixtures.colourCmykJpeg.path);
    const info = probe(bytes);
    const kept = await materialize(await openUpright(bytes, info, {}, { keepIcc: true }));
    const converted = await materialize(await openUpright(bytes, info, {}));
    expect(differingBytes(kept.data, converted.data)).toBe(0);
  });

  it('ignores a damaged profile (shown as sRGB, as viewers do)', async () => {
    const bytes = read(fixtures.colourP3Jpeg.path);
    const info = probe(bytes);
    const broken = info.colour!.icc!.slice();
    broken.fill(0, 128); // header intact, tag table gone
    const damaged = await materialize(await openUpright(bytes, { ...info, colour: { icc: broken } }, {}));
    const unmanaged = await materialize(await openUpright(bytes, { ...info, colour: undefined }, {}));
    expect(differingBytes(damaged.data, unmanaged.data)).toBe(0);
  });
});
