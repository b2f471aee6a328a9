/**
 * The JPEG and PNG encoders of our own modules (wasm/jpeg/encode.c, wasm/png/encode.c): what they write
 * (colour types, progressive coding, metadata) and that rows streamed from a resize encode like a frame.
 */
// @ts-expect-error exifr's typings reference Node's; its ESM build needs nothing from Node
import * as exifrBuild from 'exifr/dist/full.esm.mjs';
import { describe, expect, it } from 'vitest';
import { findExifSegment } from '../../../src/codecs/metadata';
import { libspngDecoder } from '../../../src/codecs/libspng';
import { libspngEncoder } from '../../../src/codecs/libspng-encoder';
import { probe } from '../../../src/codecs/probe';
import { resizeFrame, resizeRows } from '../../../src/codecs/resize-simd';
import { turboJpegDecoder } from '../../../src/codecs/turbo-jpeg';
import { turboJpegEncoder } from '../../../src/codecs/turbo-jpeg-encoder';
import type { EncodeOptions } from '../../../src/codecs/types';
import type { Frame } from '../../../src/image/frame';
import { fixtures } from '../../fixtures/registry';
import { meanAbsoluteDifference, structuralSimilarity } from '../../shared/similarity';
import { fixtureBytes } from '../helpers';
import { testCard } from '../conformance/codec-suite';
import '../../../src/codecs/wasm/bundled';

const exifr = exifrBuild as { parse(input: Uint8Array, options: Record<string, unknown>): Promise<Record<string, unknown>> };

const Q80: EncodeOptions = { quality: 80, lossless: false, progressive: false };

async function photo(width: number): Promise<Frame> {
  const bytes = await fixtureBytes(fixtures.photo1000x800.path);
  const frame = await turboJpegDecoder.decode(bytes, probe(bytes), {});
  return resizeFrame(frame, width, Math.round((width * 800) / 1000));
}

const decode = (bytes: Uint8Array) => (probe(bytes).format === 'png' ? libspngDecoder : turboJpegDecoder).decode(bytes, probe(bytes), {});

/** The PNG's chunk types, in order. */
function chunkTypes(png: Uint8Array): string[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  for (let at = 8; at + 8 <= png.length; at += 12 + view.getUint32(at)) {
    types.push(String.fromCharCode(...png.subarray(at + 4, at + 8)));
  }
  return types;
}

describe('JPEG encoder (libjpeg-turbo)', () => {
  it('writes a baseline 4:2:0 JPEG of the frame: same size, close to it', async () => {
    const frame = await photo(600);
    const jpeg = await turboJpegEncoder.encode(frame, Q80);
    const info = probe(jpeg);
    expect([info.format, info.width, info.height, info.progressive]).toEqual(['jpeg', 600, 480, false]);
    const decoded = await decode(jpeg);
    expect(structuralSimilarity(frame, decoded)).toBeGreaterThan(0.9);
    expect(meanAbsoluteDifference(frame, decoded)).toBeLessThan(4);
  });

  it('writes a progressive JPEG when asked (pr-true), of the same pixels', async () => {
    const frame = await photo(600);
    const baseline = await decode(await turboJpegEncoder.encode(frame, Q80));
    const jpeg = await turboJpegEncoder.encode(frame, { ...Q80, progressive: true });
    expect(probe(jpeg).progressive).toBe(true);
    // Progressive coding reorders the same coefficients: the decoded pixels are identical.
    expect(meanAbsoluteDifference(baseline, await decode(jpeg))).toBe(0);
  });

  it('encodes rows streamed from a resize to the same file as the resized frame', async () => {
    const bytes = await fixtureBytes(fixtures.photo1000x800.path);
    const info = probe(bytes);
    const framed = await turboJpegEncoder.encode(await photo(500), Q80);
    const streamed = await turboJpegEncoder.encodeRows(resizeRows(turboJpegDecoder.open(bytes, info, {}), 500, 400), Q80);
    expect(streamed).toEqual(framed);
  });

  it('composites translucent pixels over white', async () => {
    const decoded = await decode(await turboJpegEncoder.encode(testCard(true), Q80));
    const left = (5 * decoded.width + 0) * 4; // alpha 0 there
    expect(decoded.data[left]).toBeGreaterThan(235);
    expect(decoded.data[left + 2]).toBeGreaterThan(235);
  });

  it('writes the ICC profile (APP2) and Exif (APP1) it is given, readable by exifr', async () => {
    const icc = await fixtureBytes('images/jpeg/test3.icc');
    const exif = findExifSegment(await fixtureBytes(fixtures.landscape6.path))!.subarray(4); // after marker and length
    const jpeg = await turboJpegEncoder.encode(await photo(300), { ...Q80, metadata: { icc, exif } });
    const tags = await exifr.parse(jpeg, { icc: true, tiff: true, translateValues: false });
    expect(tags.Orientation).toBe(6);
    expect(tags.ProfileVersion ?? tags.ProfileClass).toBeDefined();
    expect(await decode(jpeg)).toMatchObject({ width: 300, height: 240 });
  });
});

describe('PNG encoder (libspng)', () => {
  it('writes an opaque image as RGB (colour type 2), losslessly', async () => {
    const frame = await photo(400);
    const png = await libspngEncoder.encode(frame, Q80);
    expect(png[25]).toBe(2);
    const decoded = await decode(png);
    expect([decoded.width, decoded.height]).toEqual([400, 320]);
    expect(meanAbsoluteDifference(frame, decoded)).toBe(0);
  });

  it('keeps alpha as RGBA (colour type 6), losslessly', async () => {
    const card = testCard(true);
    const png = await libspngEncoder.encode({ ...card, data: card.data.slice() }, Q80);
    expect(png[25]).toBe(6);
    expect(meanAbsoluteDifference(card, await decode(png))).toBe(0);
  });

  it('writes an image of at most 256 colours as a palette PNG (colour type 3) that decodes identically', async () => {
    const width = 120;
    const height = 90;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      // 256 colours, some translucent
      const c = i % 256;
      data.set([(c * 7) & 255, 255 - c, (c * 37) & 255, c % 5 === 0 ? 128 : 255], i * 4);
    }
    const frame: Frame = { width, height, data, hasAlpha: true };
    const png = await libspngEncoder.encode({ ...frame, data: data.slice() }, Q80);
    expect(png[25]).toBe(3);
    expect(chunkTypes(png)).toEqual(expect.arrayContaining(['PLTE', 'tRNS']));
    expect(meanAbsoluteDifference(frame, await decode(png))).toBe(0);
    // 257 colours: no palette.
    data.set([1, 2, 3, 77], 0);
    expect((await libspngEncoder.encode({ ...frame, data: data.slice() }, Q80))[25]).toBe(6);
  });

  it('encodes rows streamed from a resize to the same pixels as the resized frame', async () => {
    const bytes = await fixtureBytes(fixtures.photo1000x800.path);
    const info = probe(bytes);
    const png = await libspngEncoder.encodeRows(resizeRows(turboJpegDecoder.open(bytes, info, {}), 500, 400), Q80);
    expect(png[25]).toBe(2);
    expect(meanAbsoluteDifference(await photo(500), await decode(png))).toBe(0);
  });

  it('writes iCCP and eXIf chunks before the image data, readable by exifr', async () => {
    const icc = await fixtureBytes('images/jpeg/test3.icc');
    const exif = findExifSegment(await fixtureBytes(fixtures.landscape6.path))!.subarray(4);
    const png = await libspngEncoder.encode(await photo(300), { ...Q80, metadata: { icc, exif } });
    const types = chunkTypes(png);
    expect(types.indexOf('iCCP')).toBeGreaterThan(0);
    expect(types.indexOf('eXIf')).toBeGreaterThan(0);
    expect(types.indexOf('iCCP')).toBeLessThan(types.indexOf('IDAT'));
    const tags = await exifr.parse(png, { icc: true, tiff: true, translateValues: false });
    expect(tags.Orientation).toBe(6);
    expect(tags.ProfileVersion ?? tags.ProfileClass).toBeDefined();
  });
});
