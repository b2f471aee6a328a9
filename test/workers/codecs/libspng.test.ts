/**
 * The PNG decoder the Worker uses (libspng, wasm/png/) against the one it replaced (jsquash's, kept in png.ts
 * as the alternative): the same pixels for every PngSuite file of the registry and for generated files of
 * every colour type, bit depth and transparency, plain and interlaced; the same refusals of damaged files;
 * rows streamed in order, into the resizer, with alpha settled from the pixels.
 */
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../src/codecs/errors';
import { libspngDecoder, PNG_DECODE_BUDGET_BYTES } from '../../../src/codecs/libspng';
import { pngDecoder } from '../../../src/codecs/png';
import { probe } from '../../../src/codecs/probe';
import { resizeFrame } from '../../../src/codecs/resize-simd';
import type { Frame } from '../../../src/image/frame';
import { materialize } from '../../../src/image/frame-source';
import { type Fixture, fixtures } from '../../fixtures/registry';
import { chunk, type ColourType, type PngSpec, writePng } from '../../shared/png-writer';
import { fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';
import '../stock-codecs';

/** A 422 whose JSON message and help name what went wrong. */
async function expectRefused(res: Response, ...fragments: string[]) {
  expect(res.status).toBe(422);
  const body = await json(res);
  expect(Object.keys(body).sort()).toEqual(['help', 'message']);
  for (const fragment of fragments) expect(body.message).toContain(fragment);
}

const decodeWith = (decoder: typeof pngDecoder, bytes: Uint8Array) => decoder.decode(bytes, probe(bytes), {});

/** Where two frames differ, or '' when they are the same picture, pixel for pixel and alpha flag. */
function difference(a: Frame, b: Frame): string {
  if (a.width !== b.width || a.height !== b.height) return `${a.width}×${a.height} against ${b.width}×${b.height}`;
  if (a.hasAlpha !== b.hasAlpha) return `hasAlpha ${a.hasAlpha} against ${b.hasAlpha}`;
  const i = a.data.findIndex((value, index) => value !== b.data[index]);
  return i === -1 ? '' : `byte ${i} (pixel ${i >> 2}): ${a.data[i]} against ${b.data[i]}`;
}

/** Every pixel as the spec says it must decode: 8-bit RGBA, tRNS and palette alpha applied. */
function expected(spec: PngSpec): Frame {
  const { width, height, colourType, bitDepth } = spec;
  const data = new Uint8ClampedArray(width * height * 4);
  const to8 = (v: number) => (bitDepth === 16 ? v >> 8 : (v * 255) / ((1 << bitDepth) - 1));
  const stored = (bytes: Uint8Array, i: number) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!;
  let transparent = false;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (c: number) => spec.sample(x, y, c);
      let rgba: number[];
      if (colourType === 3) {
        const index = s(0);
        rgba = [...spec.palette!.subarray(index * 3, index * 3 + 3), spec.transparency?.[index] ?? 255];
      } else {
        const colour = colourType === 0 || colourType === 4 ? [s(0), s(0), s(0)] : [s(0), s(1), s(2)];
        const keyed =
          spec.transparency !== undefined &&
          (colourType === 0 ? s(0) === stored(spec.transparency, 0) : [0, 1, 2].every((c) => s(c) === stored(spec.transparency!, c)));
        const alpha = colourType === 4 ? to8(s(1)) : colourType === 6 ? to8(s(3)) : keyed ? 0 : 255;
        rgba = [...colour.map(to8), alpha];
      }
      data.set(rgba, (y * width + x) * 4);
      transparent ||= rgba[3] !== 255;
    }
  }
  return { width, height, data, hasAlpha: transparent };
}

/** Samples over the whole range of the depth, differently per channel, hard to compress (pairs of pixels repeat). */
const noisy = (depth: number) => (x: number, y: number, c: number) => {
  let h = Math.imul((x >> 1) * 7 + y * 13 + c * 101, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return ((h ^ (h >>> 13)) >>> 8) % (1 << depth);
};

const DEPTHS: Record<ColourType, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Every colour type and depth, plain and interlaced, with and without tRNS where PNG allows it. */
function specs(width = 67, height = 45): (PngSpec & { name: string })[] {
  const out: (PngSpec & { name: string })[] = [];
  for (const [type, depths] of Object.entries(DEPTHS)) {
    const colourType = Number(type) as ColourType;
    for (const bitDepth of depths as PngSpec['bitDepth'][]) {
      for (const interlaced of [false, true]) {
        const base = { width, height, colourType, bitDepth, interlaced, sample: noisy(bitDepth) };
        const name = `type ${colourType}, ${bitDepth}-bit${interlaced ? ', Adam7' : ''}`;
        if (colourType === 3) {
          const entries = 1 << bitDepth;
          const palette = new Uint8Array(entries * 3).map((_, i) => (i * 37 + 11) & 255);
          out.push({ ...base, name, palette });
          const transparency = new Uint8Array(Math.max(1, entries >> 1)).map((_, i) => (i * 51) & 255);
          out.push({ ...base, name: `${name}, tRNS`, palette, transparency });
        } else {
          out.push({ ...base, name });
          if (colourType === 0 || colourType === 2) {
            // The key is a value the samples take, so some pixels become transparent.
            const key = base.sample(3, 2, 0);
            const keys = colourType === 0 ? [key] : [0, 1, 2].map((c) => base.sample(3, 2, c));
            const transparency = new Uint8Array(keys.flatMap((k) => [k >> 8, k & 255]));
            out.push({ ...base, name: `${name}, tRNS`, transparency });
          }
        }
      }
    }
  }
  return out;
}

const pngSuite = (Object.entries(fixtures) as [string, Fixture][]).filter(
  ([, f]) => f.format === 'png' && f.path.includes('pngsuite') && !f.invalid && !f.corruptData,
);

describe('the same pixels as the previous decoder', () => {
  it('every PngSuite file of the registry', async () => {
    expect(pngSuite.length).toBeGreaterThan(30);
    for (const [name, fixture] of pngSuite) {
      const bytes = await fixtureBytes(fixture.path);
      const [ours, theirs] = [await decodeWith(libspngDecoder, bytes), await decodeWith(pngDecoder, bytes)];
      expect(difference(ours, theirs), name).toBe('');
    }
  });

  it('generated files of every colour type, bit depth and transparency, plain and interlaced', async () => {
    const all = specs();
    expect(all).toHaveLength(52);
    for (const spec of all) {
      const bytes = await writePng(spec);
      const ours = await decodeWith(libspngDecoder, bytes);
      expect(difference(ours, expected(spec)), spec.name).toBe('');
      expect(difference(ours, await decodeWith(pngDecoder, bytes)), spec.name).toBe('');
    }
  });

  it('images of many strips: 16-bit RGBA interlaced, 8-bit RGB and palette plain', async () => {
    const big: PngSpec[] = [
      { width: 701, height: 503, colourType: 6, bitDepth: 16, interlaced: true, sample: noisy(16) },
      { width: 1203, height: 407, colourType: 2, bitDepth: 8, sample: noisy(8) },
      { width: 999, height: 333, colourType: 3, bitDepth: 4, palette: new Uint8Array(48).map((_, i) => i * 5), sample: noisy(4) },
    ];
    for (const spec of big) {
      const bytes = await writePng(spec);
      const ours = await decodeWith(libspngDecoder, bytes);
      expect(difference(ours, expected(spec))).toBe('');
      expect(difference(ours, await decodeWith(pngDecoder, bytes))).toBe('');
    }
  });
});

describe('rows stream', () => {
  const plain: PngSpec = { width: 1000, height: 700, colourType: 2, bitDepth: 8, sample: noisy(8) };

  it('a plain file opens as a row source read in order; an interlaced one does not open (it decodes whole)', async () => {
    const bytes = await writePng(plain);
    const source = libspngDecoder.open!(bytes, probe(bytes), {})!;
    expect([source.width, source.height, source.hasAlpha]).toEqual([1000, 700, false]);
    let rows = 0;
    let strips = 0;
    await source.read((pixels, count) => {
      expect(pixels.length).toBe(count * 1000 * 4);
      rows += count;
      strips++;
    });
    expect(rows).toBe(700);
    expect(strips).toBeGreaterThan(5); // about 256 KB at a time
    expect(difference(await materialize(libspngDecoder.open!(bytes, probe(bytes), {})!), expected(plain))).toBe('');

    const interlaced = await writePng({ ...plain, interlaced: true });
    expect(libspngDecoder.open!(interlaced, probe(interlaced), {})).toBeUndefined();
  });

  it('a consumer that has what it needs stops the decode, and the next one starts afresh', async () => {
    const bytes = await writePng(plain);
    let strips = 0;
    await libspngDecoder.open!(bytes, probe(bytes), {})!.read(() => {
      strips++;
      return false;
    });
    expect(strips).toBe(1);
    expect(difference(await decodeWith(libspngDecoder, bytes), expected(plain))).toBe('');
  });

  it('alpha is what the pixels say: an RGBA file that is all opaque comes out opaque, resized or not', async () => {
    const opaque: PngSpec = { width: 300, height: 200, colourType: 6, bitDepth: 8, sample: (x, y, c) => (c === 3 ? 255 : noisy(8)(x, y, c)) };
    const translucent: PngSpec = { ...opaque, sample: noisy(8) };
    for (const [spec, transparent] of [[opaque, false], [translucent, true]] as const) {
      const bytes = await writePng(spec);
      const info = probe(bytes);
      expect(info.hasAlpha).toBe(true); // all the header can say
      expect(libspngDecoder.open!(bytes, info, {})!.hasAlpha).toBe(true);
      expect((await materialize(libspngDecoder.open!(bytes, info, {})!)).hasAlpha).toBe(transparent);
      expect((await resizeFrame(libspngDecoder.open!(bytes, info, {})!, 100, 67)).hasAlpha).toBe(transparent);
      expect((await libspngDecoder.decode(bytes, info, {})).hasAlpha).toBe(transparent);
    }
  });

  it('ancillary chunks are stepped over unparsed: ones libspng would refuse do not fail a decode', async () => {
    const bytes = await writePng({
      ...plain,
      ancillary: [
        { type: 'iCCP', data: new Uint8Array([0x20, 0, 9, 1, 2, 3]) }, // bad name, unknown compression method
        { type: 'tEXt', data: new Uint8Array([0x20, 0x20, 0, 0x41]) }, // keyword of spaces
        { type: 'eXIf', data: new Uint8Array(0) },
        { type: 'zzZz', data: new Uint8Array(100_000) }, // unknown, bigger than one read
      ],
    });
    expect(difference(await decodeWith(libspngDecoder, bytes), expected(plain))).toBe('');
  });
});

/** The chunk types of a PNG, in order. */
function chunkTypes(bytes: Uint8Array): string[] {
  const types: string[] = [];
  for (let at = 8; at < bytes.length; at += 12 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(at)) {
    types.push(String.fromCharCode(...bytes.subarray(at + 4, at + 8)));
  }
  return types;
}

/** `bytes` with the chunk of type `type` (the `nth` of them) changed by `change`, its CRC made right again or not. */
function alterChunk(bytes: Uint8Array, type: string, change: (data: Uint8Array) => void, fixCrc: boolean, nth = 0): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (let at = 8, seen = 0; at < out.length; ) {
    const length = view.getUint32(at);
    const name = String.fromCharCode(...out.subarray(at + 4, at + 8));
    if (name === type && seen++ === nth) {
      change(out.subarray(at + 8, at + 8 + length));
      if (fixCrc) out.set(chunk(type, out.slice(at + 8, at + 8 + length)).subarray(8 + length), at + 8 + length);
      return out;
    }
    at += 12 + length;
  }
  throw new Error(`no ${type} #${nth}`);
}

describe('damaged files are refused', () => {
  const spec: PngSpec = { width: 640, height: 480, colourType: 2, bitDepth: 8, sample: noisy(8), ancillary: [{ type: 'tEXt', data: new TextEncoder().encode('Title\0edgepix') }] };

  const refusal = async (decoder: typeof pngDecoder, bytes: Uint8Array) => {
    const error = await decodeWith(decoder, bytes).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CodecError);
    return (error as CodecError).message;
  };

  it('a broken CRC anywhere, or a file cut short: the same message as before', async () => {
    const good = await writePng(spec);
    const flip = (data: Uint8Array) => {
      data[data.length >> 1] ^= 1;
    };
    const damaged = {
      'IDAT CRC': alterChunk(good, 'IDAT', flip, false, 1),
      'tEXt CRC': alterChunk(good, 'tEXt', flip, false),
      'IEND CRC': good.map((b, i) => (i === good.length - 1 ? b ^ 1 : b)),
      'cut in the image data': good.subarray(0, good.length >> 1),
      'no IEND': good.subarray(0, good.length - 12),
    };
    for (const [what, bytes] of Object.entries(damaged)) {
      expect(await refusal(libspngDecoder, bytes), what).toBe(await refusal(pngDecoder, bytes));
    }
    expect(await refusal(libspngDecoder, damaged['IDAT CRC'])).toBe('png decoder: the IDAT chunk is corrupt (CRC mismatch)');
    expect(await refusal(libspngDecoder, damaged['no IEND'])).toBe('png decoder: the file is truncated (no IEND chunk)');
  });

  it('image data that does not inflate, or whose Adler-32 is wrong, with every CRC right', async () => {
    const good = await writePng(spec);
    const garbled = alterChunk(good, 'IDAT', (data) => data.fill(0xa5, 100, 300), true);
    expect(await refusal(libspngDecoder, garbled)).toContain('png decoder: the data is corrupt or unsupported');
    await refusal(pngDecoder, garbled);
    // The last IDAT ends with the zlib stream's Adler-32.
    const lastIdat = chunkTypes(good).filter((type) => type === 'IDAT').length - 1;
    expect(lastIdat).toBeGreaterThan(0);
    const adler = alterChunk(good, 'IDAT', (data) => (data[data.length - 1] ^= 1), true, lastIdat);
    expect(await refusal(libspngDecoder, adler)).toContain('png decoder: the data is corrupt or unsupported');
  });

  it('the corrupt PngSuite file, naming the damaged chunk', async () => {
    const bytes = await fixtureBytes(fixtures.xcsn0g01.path);
    expect(await refusal(libspngDecoder, bytes)).toBe('png decoder: the IDAT chunk is corrupt (CRC mismatch)');
  });

  it('through delivery: 422 naming the damage', async () => {
    const tenant = await newTenant();
    const good = await writePng(spec);
    await putOriginal(tenant, 'cut.png', good.subarray(0, good.length >> 1), 'image/png');
    await expectRefused(await get(`/${tenant}/tr:w-100/cut.png`), 'could not be decoded as PNG', 'truncated');
    await putOriginal(tenant, 'crc.png', alterChunk(good, 'IDAT', (d) => (d[5] ^= 1), false, 1), 'image/png');
    await expectRefused(await get(`/${tenant}/tr:w-100/crc.png`), 'could not be decoded as PNG', 'IDAT chunk is corrupt');
    await putOriginal(tenant, 'good.png', good, 'image/png');
    expect((await get(`/${tenant}/tr:w-100/good.png`)).status).toBe(200);
  });
});

describe('the memory budget', () => {
  it('an interlaced file whose frame would not fit is refused from its header, before any decoding', async () => {
    // 4500×4000 interlaced (18 MP: a 72 MB frame) whose image data is a single garbage byte: only the header is read.
    const header = await writePng({ width: 1, height: 1, colourType: 2, bitDepth: 8, interlaced: true, sample: () => 0 });
    const bytes = header.slice();
    new DataView(bytes.buffer).setUint32(16, 4500);
    new DataView(bytes.buffer).setUint32(20, 4000);
    bytes.set(chunk('IHDR', bytes.slice(16, 29)).subarray(21), 29); // IHDR's CRC
    const info = probe(bytes);
    expect(4500 * 4000 * 4).toBeGreaterThan(PNG_DECODE_BUDGET_BYTES);
    const error = await libspngDecoder.decode(bytes, info, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).reason).toMatch(/^this 4500×4000 interlaced \(Adam7\) PNG needs about 7\d MB of memory to decode/);
    // the same file not interlaced streams: it gets as far as the image data
    bytes[28] = 0;
    bytes.set(chunk('IHDR', bytes.slice(16, 29)).subarray(21), 29);
    const streamed = await libspngDecoder.decode(bytes, probe(bytes), {}).catch((e: unknown) => e);
    expect((streamed as CodecError).reason).not.toContain('memory');
  });
});
