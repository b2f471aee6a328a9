/**
 * What our own codecs (wasm/jpeg, wasm/webp) do beyond the shared conformance suite: scaled decoding, libjpeg's
 * error exits (which must leave the instance usable), traps (which must replace it), and the memory guard.
 */
import { ssim } from 'ssim.js';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../src/codecs/errors';
import { libwebpDecoder, libwebpEncoder } from '../../../src/codecs/libwebp';
import { probe } from '../../../src/codecs/probe';
import { resizeFrame } from '../../../src/codecs/resize-simd';
import { turboJpegDecoder } from '../../../src/codecs/turbo-jpeg';
import type { Frame } from '../../../src/image/frame';
import { boxShrink } from '../../../src/image/shrink';
import { loadedModules, wasmMemoryByModule, withInstance } from '../../../src/codecs/wasm/instances';
import type { StandaloneModule } from '../../../src/codecs/wasm/standalone';
import { fixtures, type FixtureName } from '../../fixtures/registry';
import { meanAbsoluteDifference, structuralSimilarity } from '../../shared/similarity';
import { fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';
import { testCard } from '../conformance/codec-suite';
import '../../../src/codecs/wasm/bundled';

async function decodeJpeg(name: FixtureName, hint = {}): Promise<Frame> {
  const bytes = await fixtureBytes(fixtures[name].path);
  return turboJpegDecoder.decode(bytes, probe(bytes), hint);
}

const exists = () => Promise.reject(new Error('the instance exists already'));

describe('JPEG (libjpeg-turbo)', () => {
  it('decodes at a reduced DCT scale that covers the hint and leaves the resizer room (sharp\'s rule)', async () => {
    const full = await decodeJpeg('photo4000x3000');
    const quarter = await decodeJpeg('photo4000x3000', { minWidth: 800, minHeight: 600 });
    expect([quarter.width, quarter.height]).toEqual([1000, 750]);
    const half = await decodeJpeg('photo4000x3000', { minWidth: 1001, minHeight: 600 });
    expect([half.width, half.height]).toEqual([2000, 1500]);
    // DCT scaling is a proper reduction: close to a box-filtered full decode
    const reference = boxShrink(full, 4);
    expect(structuralSimilarity(reference, quarter)).toBeGreaterThan(0.95);
    expect(meanAbsoluteDifference(reference, quarter)).toBeLessThan(2);
  });

  it('marks reduced-scale decodes box-filtered, and a resize from one compensates the box', async () => {
    const full = await decodeJpeg('photo4000x3000');
    expect(full.boxFiltered).toBeFalsy();
    const quarter = await decodeJpeg('photo4000x3000', { minWidth: 800, minHeight: 600 });
    expect(quarter.boxFiltered).toBe(true);
    // Lanczos3 over every pixel of the full decode (no box shrink) is what the reduced decode stands in for.
    const reference = await resizeFrame(full, 800, 600, { gap: 0 });
    const compensated = await resizeFrame(quarter, 800, 600);
    const plain = await resizeFrame({ ...quarter, boxFiltered: false }, 800, 600);
    const similarity = (f: Frame) => ssim(f, reference, { downsample: false }).mssim;
    expect(similarity(compensated)).toBeGreaterThan(similarity(plain) + 0.0005);
  });

  it('decodes arithmetic-coded files to the same pixels as the Huffman-coded original', async () => {
    const huffman = await decodeJpeg('jpegBaseline');
    const arithmetic = await decodeJpeg('jpegArithmetic');
    expect(meanAbsoluteDifference(huffman, arithmetic)).toBeLessThan(1);
  });

  it('converts Adobe CMYK to RGB', async () => {
    const rgb = await decodeJpeg('jpegBaseline');
    const cmyk = await decodeJpeg('jpegCmyk');
    expect([cmyk.width, cmyk.height]).toEqual([rgb.width, rgb.height]);
    // sharp wrote the CMYK through an ICC profile; the plain conversion lands close, not exact
    expect(meanAbsoluteDifference(rgb, cmyk)).toBeLessThan(25);
    expect(structuralSimilarity(rgb, cmyk)).toBeGreaterThan(0.8);
  });

  it('refuses 12-bit files cleanly', async () => {
    const error = await decodeJpeg('jpeg12bit').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).reason).toContain('12-bit');
  });

  it("reports libjpeg's error and keeps the same instance (the error exit longjmps, nothing traps)", async () => {
    await decodeJpeg('jpegBaseline');
    expect(loadedModules()).toContain('edgepixJpeg');
    // SOF0 of testorig.jpg: component 1 now names quantization table 3, which the file does not define
    const bytes = (await fixtureBytes(fixtures.jpegBaseline.path)).slice();
    const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0);
    bytes[sof + 12] = 3;
    const error = await turboJpegDecoder.decode(bytes, probe(bytes), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).reason).toContain('Quantization table 0x03 was not defined');
    expect(loadedModules()).toContain('edgepixJpeg');
    const after = await decodeJpeg('jpegBaseline');
    expect(after.width).toBe(227);
  });

  it('an error between strips releases the decode and keeps the instance (no memory left behind)', async () => {
    // truncated.jpg stops inside the scan: libjpeg runs out of data while the rows are being read. (The
    // decoder's integrity check refuses such files up front; the module must cope on its own too.)
    const bytes = await fixtureBytes(fixtures.jpegTruncated.path);
    await decodeJpeg('jpegBaseline');
    const attempt = () =>
      withInstance('edgepixJpeg', exists, (module: StandaloneModule) => {
        const x = module.exports as Record<string, (...args: number[]) => number>;
        const input = module.copyIn(bytes);
        const info = x.malloc!(64);
        try {
          const decode = x.jpeg_decode_begin!(input, bytes.byteLength, 1, 0, info);
          expect(decode).not.toBe(0);
          let rows = 0;
          while (rows >= 0) rows = x.jpeg_decode_rows!(decode);
          return module.string(x.jpeg_error!());
        } finally {
          x.free!(info);
          x.free!(input);
        }
      });
    expect(await attempt()).toContain('truncated');
    const memory = wasmMemoryByModule().edgepixJpeg;
    for (let i = 0; i < 20; i++) await attempt();
    expect(wasmMemoryByModule().edgepixJpeg).toBe(memory);
    expect(loadedModules()).toContain('edgepixJpeg');
    expect((await decodeJpeg('jpegBaseline')).width).toBe(227);
  });

  it('refuses a decode over the memory budget from the header, before allocating it', async () => {
    const bytes = (await fixtureBytes(fixtures.jpegProgressive.path)).slice();
    const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc2);
    new DataView(bytes.buffer).setUint16(sof + 5, 9000);
    new DataView(bytes.buffer).setUint16(sof + 7, 9000);
    const error = await turboJpegDecoder.decode(bytes, probe(bytes), { minWidth: 100, minHeight: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).reason).toMatch(/9000×9000 progressive JPEG needs about \d+ MB of memory/);
  });

  it('throws away an instance that trapped, and the next decode gets a fresh one', async () => {
    await decodeJpeg('jpegBaseline');
    const trap = withInstance('edgepixJpeg', exists, (module: StandaloneModule) =>
      (module.exports.jpeg_header as (p: number, n: number, i: number) => number)(0x7ffffff0, 64, 0x7ffffff0),
    );
    await expect(trap).rejects.toBeInstanceOf(WebAssembly.RuntimeError);
    expect(loadedModules()).not.toContain('edgepixJpeg');
    expect((await decodeJpeg('jpegBaseline')).width).toBe(227);
  });

  it('a trap mid-request is a 422 JSON error, and the next request works on a fresh instance', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    expect((await get(`/${tenant}/tr:w-301/p.jpg`)).status).toBe(200);
    // Wreck the shared instance's heap (allocator state included): its next call traps.
    await withInstance('edgepixJpeg', exists, (module: StandaloneModule) => {
      new Uint8Array(module.exports.memory.buffer).fill(0xff);
    });
    const failed = await get(`/${tenant}/tr:w-302/p.jpg`);
    expect(failed.status).toBe(422);
    expect((await json(failed)).message).toContain('could not be decoded as JPEG');
    expect((await get(`/${tenant}/tr:w-303/p.jpg`)).status).toBe(200);
  });
});

describe('WebP (libwebp)', () => {
  it('decodes scaled by a whole factor that leaves the resizer at least 2×', async () => {
    const card = testCard(false);
    const big = { ...card, width: 96, height: 64 };
    const encoded = await libwebpEncoder.encode(big, { quality: 90, lossless: false, progressive: false });
    const frame = await libwebpDecoder.decode(encoded, probe(encoded), { minWidth: 24, minHeight: 16 });
    expect([frame.width, frame.height]).toEqual([48, 32]);
  });

  it('encodes opaque frames without an alpha chunk and keeps alpha when there is some', async () => {
    const opaque = await libwebpEncoder.encode(testCard(false), { quality: 80, lossless: false, progressive: false });
    expect(probe(opaque).hasAlpha).toBe(false);
    const transparent = await libwebpEncoder.encode(testCard(true), { quality: 80, lossless: false, progressive: false });
    expect(probe(transparent).hasAlpha).toBe(true);
  });

  it('refuses frames over WebP’s 16383-pixel side with a CodecError, and keeps working', async () => {
    const wide: Frame = { width: 16384, height: 1, data: new Uint8ClampedArray(16384 * 4).fill(255), hasAlpha: false };
    const error = await libwebpEncoder.encode(wide, { quality: 80, lossless: false, progressive: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).reason).toContain('16383');
    expect(loadedModules()).toContain('edgepixWebp');
    const ok = await libwebpEncoder.encode(testCard(false), { quality: 80, lossless: false, progressive: false });
    expect(probe(ok).width).toBe(96);
  });

  it('refuses a truncated file with a CodecError', async () => {
    const bytes = await fixtureBytes(fixtures.webpLossy.path);
    const error = await libwebpDecoder.decode(bytes.slice(0, 200), probe(bytes), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).reason).toContain('truncated');
  });
});
