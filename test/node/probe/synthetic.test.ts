// Hand-built headers for the paths no fixture reaches: AVIF transforms and sequences, EXIF variants, broken fields.
import { describe, it, expect } from 'vitest';
import { probe, sniffFormat } from '../../../src/codecs/probe';
import { readTiffOrientation } from '../../../src/codecs/probe/exif';
import { expectProbeError } from './helpers';
import * as B from './build';

const ALPHA = B.fullBox('auxC', 0, 0, B.ALPHA_URN, [0]);
const avif = (meta: Uint8Array, ...rest: Uint8Array[]) => B.bytes(B.ftyp('avif', 'mif1', 'miaf'), meta, ...rest);

describe('exif: readTiffOrientation', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i in both byte orders', (o) => {
    for (const le of [true, false]) expect(readTiffOrientation(B.tiff(o, le), 0, 1000)).toBe(o);
  });
  it('accepts LONG values and an "Exif\\0\\0" prefix', () => {
    expect(readTiffOrientation(B.tiff(6, true, 4), 0, 1000)).toBe(6);
    expect(readTiffOrientation(B.bytes('Exif\0\0', B.tiff(3, false)), 0, 1000)).toBe(3);
  });
  it('returns 1 for out-of-range values and broken blocks instead of throwing', () => {
    expect(readTiffOrientation(B.tiff(9, false), 0, 1000)).toBe(1);
    expect(readTiffOrientation(B.tiff(0, true), 0, 1000)).toBe(1);
    expect(readTiffOrientation(B.tiff(6, true).subarray(0, 19), 0, 19)).toBe(1); // value cut short
    expect(readTiffOrientation(B.bytes('XX', [0, 42]), 0, 4)).toBe(1);
    const t = B.tiff(6, false);
    t[7] = 200; // IFD0 offset past the block
    expect(readTiffOrientation(t, 0, t.length)).toBe(1);
    // The block's end bounds the read even when more bytes follow.
    expect(readTiffOrientation(B.tiff(6, false), 0, 19)).toBe(1);
  });
});

describe('jpeg', () => {
  const base = (m = 0xc0, w = 640, h = 480, p = 8, n = 3) => B.jpeg(B.sof(m, w, h, p, n), B.sos());

  it('reports progressive for SOF2/6/10/14 only', () => {
    for (const m of [0xc0, 0xc1, 0xc3, 0xc9]) expect(probe(base(m)).progressive).toBe(false);
    for (const m of [0xc2, 0xc6, 0xca, 0xce]) expect(probe(base(m)).progressive).toBe(true);
  });
  it('reports precision as bitDepth (SOF3 lossless 16-bit)', () => {
    expect(probe(base(0xc3, 64, 64, 16, 1))).toMatchObject({ bitDepth: 16, hasAlpha: false });
  });
  it('reads EXIF orientation from APP1 before or after SOF, first one wins', () => {
    expect(probe(B.jpeg(B.app1Exif(B.tiff(8, true)), B.sof(0xc0, 10, 20), B.sos())).orientation).toBe(8);
    expect(probe(B.jpeg(B.sof(0xc0, 10, 20), B.app1Exif(B.tiff(5, false)), B.sos())).orientation).toBe(5);
    const two = B.jpeg(B.app1Exif(B.tiff(3, false)), B.app1Exif(B.tiff(6, false)), B.sof(0xc0, 1, 1), B.sos());
    expect(probe(two).orientation).toBe(3);
  });
  it('ignores non-Exif APP1 (XMP) and a broken TIFF inside a complete APP1', () => {
    const withApp1 = (payload: string) => B.jpeg(B.segment(0xe1, payload), B.sof(0xc0, 1, 1), B.sos());
    expect(probe(withApp1('http://ns.adobe.com/xap/1.0/\0<x/>')).orientation).toBe(1);
    expect(probe(withApp1('Exif\0\0MM\0*\xff\xff\xff\xff')).orientation).toBe(1);
  });
  it('skips fill bytes and stray bytes before a marker, like libjpeg', () => {
    const messy = B.jpeg([0xff, 0xff], [0x00, 0x12], B.sof(0xc0, 7, 9), B.sos());
    expect(probe(messy)).toMatchObject({ width: 7, height: 9 });
  });
  it('rejects impossible frames', () => {
    expectProbeError(() => probe(base(0xc0, 0, 480)), 'malformed'); // DNL-style height 0
    expectProbeError(() => probe(base(0xc0, 640, 480, 8, 0)), 'malformed'); // no components
    expectProbeError(() => probe(base(0xc0, 640, 480, 0)), 'malformed'); // precision 0
    expectProbeError(() => probe(B.jpeg(B.sos())), 'malformed'); // SOS before SOF
    expectProbeError(() => probe(B.jpeg([0xff, 0xd9])), 'malformed'); // EOI before SOS
    expectProbeError(() => probe(B.jpeg(B.sof(0xc0, 1, 1), B.sof(0xc2, 1, 1), B.sos())), 'malformed'); // two SOFs
    expectProbeError(() => probe(B.jpeg([0xff, 0xe0, 0x00, 0x01])), 'malformed'); // segment length < 2
    // SOF whose length is too short for its component list: the fields run past the segment.
    expectProbeError(() => probe(B.jpeg(B.segment(0xc0, [8, 0, 1, 0, 1, 3]), B.sos())), 'malformed');
  });
  it('treats a header that stops before SOS as truncated', () => {
    expectProbeError(() => probe(B.jpeg(B.sof(0xc0, 1, 1))), 'truncated');
    expectProbeError(() => probe(B.jpeg(B.segment(0xe0, 'JFIF\0')).subarray(0, 8)), 'truncated');
  });
});

describe('png', () => {
  const IDAT = B.chunk('IDAT', [0x78, 0x9c]);
  const IEND = B.chunk('IEND');

  it('tRNS before IDAT makes any colour type transparent; after IDAT it is not read', () => {
    expect(probe(B.png(B.ihdr(4, 4, 8, 2), B.chunk('tRNS', [0, 1, 0, 2, 0, 3]), IDAT, IEND)).hasAlpha).toBe(true);
    expect(probe(B.png(B.ihdr(4, 4, 8, 2), IDAT, B.chunk('tRNS', [0, 1, 0, 2, 0, 3]), IEND)).hasAlpha).toBe(false);
  });
  it('reads acTL frames and eXIf orientation', () => {
    const actl = (n: number) => B.chunk('acTL', [...B.be32(n), ...B.be32(0)]);
    expect(probe(B.png(B.ihdr(4, 4), actl(12), IDAT, IEND)).frames).toBe(12);
    expect(probe(B.png(B.ihdr(4, 4), actl(0), IDAT, IEND)).frames).toBe(1); // invalid: browsers show the still image
    expect(probe(B.png(B.ihdr(4, 4), B.chunk('eXIf', B.tiff(7, true)), IDAT, IEND)).orientation).toBe(7);
  });
  it('probes the bomb-sized header without caring about IDAT size', () => {
    const huge = B.png(B.ihdr(0x7fffffff, 0x7fffffff, 16, 6), IDAT);
    expect(probe(huge)).toMatchObject({ width: 0x7fffffff, height: 0x7fffffff, bitDepth: 16, hasAlpha: true });
  });
  it('rejects broken IHDR and chunk structure', () => {
    expectProbeError(() => probe(B.png(B.ihdr(0, 4), IDAT)), 'malformed');
    expectProbeError(() => probe(B.png(B.ihdr(0x80000000, 4), IDAT)), 'malformed');
    expectProbeError(() => probe(B.png(B.ihdr(4, 4, 16, 3), IDAT)), 'malformed'); // 16-bit palette
    expectProbeError(() => probe(B.png(B.chunk('CgBI', [0, 0, 0, 0]), B.ihdr(4, 4), IDAT)), 'malformed'); // Apple PNG
    expectProbeError(() => probe(B.png(B.ihdr(4, 4), IEND)), 'malformed'); // no IDAT
    // A chunk length above 2^31-1.
    expectProbeError(() => probe(B.png(B.ihdr(4, 4), [0xff, 0xff, 0xff, 0xff], 'tEXt')), 'malformed');
    expectProbeError(() => probe(B.png(B.ihdr(4, 4), B.chunk('tEXt', 'a\0b'))), 'truncated'); // ends before IDAT
  });
});

describe('webp', () => {
  const vp8 = (w: number, h: number, tag = [0x10, 0x02, 0x00]) =>
    B.riffChunk('VP8 ', B.bytes(tag, [0x9d, 0x01, 0x2a], B.le16(w), B.le16(h), new Uint8Array(10)));

  it('reads the VP8 key frame size, ignoring the scale bits', () => {
    expect(probe(B.webp(vp8(0xc000 | 300, 0x4000 | 200)))).toMatchObject({ width: 300, height: 200, hasAlpha: false });
  });
  it('reads VP8X flags and canvas size, and raw-TIFF EXIF chunks', () => {
    const max = B.webp(B.vp8x(0x10, 16777216, 3), vp8(1, 1)); // 24-bit canvas width at its maximum
    expect(probe(max)).toMatchObject({ width: 16777216, height: 3, hasAlpha: true });
    const exif = B.riffChunk('EXIF', B.tiff(2, true));
    expect(probe(B.webp(B.vp8x(0x08, 5, 5), vp8(5, 5), exif)).orientation).toBe(2);
    // Without the EXIF flag the chunk list is not walked.
    expect(probe(B.webp(B.vp8x(0x00, 5, 5), vp8(5, 5), exif)).orientation).toBe(1);
  });
  it('rejects broken bitstream headers', () => {
    expectProbeError(() => probe(B.webp(vp8(10, 10, [0x11, 0x02, 0x00]))), 'malformed'); // interframe
    expectProbeError(() => probe(B.webp(vp8(0, 10))), 'malformed');
    expectProbeError(() => probe(B.webp(B.riffChunk('VP8L', [0x2f, 0, 0, 0, 0x20]))), 'malformed'); // version 1
    expectProbeError(() => probe(B.webp(B.riffChunk('VP8L', [0x2e, 0, 0, 0, 0]))), 'malformed'); // signature
    expectProbeError(() => probe(B.webp(B.riffChunk('ALPH', [0]))), 'malformed'); // unknown first chunk
    expectProbeError(() => probe(B.webp(B.vp8x(0x02, 5, 5), B.riffChunk('ANIM', new Uint8Array(6)))), 'malformed');
    expectProbeError(() => probe(B.webp(B.riffChunk('VP8X', [0x10, 0, 0, 0]), vp8(1, 1))), 'malformed'); // short VP8X
  });
});

describe('avif', () => {
  it.each([
    // [irot angle | undefined, imir axis | undefined, EXIF orientation], per libavif's Exif <-> irot/imir mapping.
    [undefined, undefined, 1],
    [undefined, 1, 2],
    [2, undefined, 3],
    [undefined, 0, 4],
    [1, 0, 5],
    [3, undefined, 6],
    [3, 0, 7],
    [1, undefined, 8],
    [1, 1, 7],
    [3, 1, 5],
    [2, 0, 2],
    [2, 1, 4],
  ])('irot %s + imir %s -> orientation %i', (angle, axis, orientation) => {
    const props = [B.ispe(300, 200)];
    if (angle !== undefined) props.push(B.box('irot', [angle]));
    if (axis !== undefined) props.push(B.box('imir', [axis]));
    expect(probe(avif(B.avifMeta(props)))).toMatchObject({ width: 300, height: 200, orientation });
  });

  it("uses the primary item's ispe, not the first one in ipco", () => {
    // Item 2 (e.g. a grid tile or alpha plane) has its own, smaller ispe listed first.
    const meta = B.avifMeta([B.ispe(4000, 3000), B.fullBox('pixi', 0, 0, [3, 12, 12, 12])], [B.ispe(512, 512), ALPHA]);
    expect(probe(avif(meta))).toMatchObject({ width: 4000, height: 3000, bitDepth: 12, hasAlpha: true });
  });

  it('falls back to av1C for bit depth', () => {
    expect(probe(avif(B.avifMeta([B.ispe(8, 8), B.box('av1C', [0x81, 0x20, 0x42, 0])]))).bitDepth).toBe(10);
    expect(probe(avif(B.avifMeta([B.ispe(8, 8), B.box('av1C', [0x81, 0x40, 0x62, 0])]))).bitDepth).toBe(12);
    expect(probe(avif(B.avifMeta([B.ispe(8, 8)]))).bitDepth).toBe(8);
  });

  it('counts frames of an avis sequence from the colour track, skipping the alpha track', () => {
    const meta = B.avifMeta([B.ispe(64, 64)]);
    const file = B.bytes(B.ftyp('avis', 'avif', 'msf1'), meta, B.moov(['auxv', 99], ['pict', 24]));
    expect(sniffFormat(file)).toBe('avif');
    expect(probe(file).frames).toBe(24);
    // mdat before moov is skipped by size.
    const mdatFirst = B.bytes(B.ftyp('avis'), meta, B.box('mdat', new Uint8Array(5000)), B.moov(['pict', 3]));
    expect(probe(mdatFirst).frames).toBe(3);
    expectProbeError(() => probe(mdatFirst.subarray(0, 4000)), 'truncated'); // moov cut off
  });

  it('handles 64-bit box sizes and ipma version 1 with 15-bit indexes', () => {
    const props = B.box('ipco', B.ispe(33, 44));
    const ipma = B.fullBox('ipma', 1, 1, B.be32(1), B.be32(1), [1], B.be16(0x8001));
    const meta = B.fullBox('meta', 0, 0, B.fullBox('pitm', 1, 0, B.be32(1)), B.box('iprp', props, ipma));
    const mdat64 = B.bytes(B.be32(1), 'mdat', B.be32(0), B.be32(24), new Uint8Array(8));
    expect(probe(avif(meta, mdat64))).toMatchObject({ width: 33, height: 44 });
  });

  it('sniffs avif only from the brands', () => {
    expect(sniffFormat(B.ftyp('mif1', 'avif'))).toBe('avif');
    expect(sniffFormat(B.ftyp('heic', 'mif1', 'heic'))).toBe('heic');
    expect(sniffFormat(B.ftyp('mif1', 'miaf'))).toBeUndefined();
  });

  it('rejects missing or inconsistent item properties', () => {
    expectProbeError(() => probe(avif(B.avifMeta([B.box('irot', [1])]))), 'malformed'); // no ispe
    expectProbeError(() => probe(avif(B.avifMeta([B.ispe(0, 10)]))), 'malformed');
    expectProbeError(() => probe(B.bytes(B.ftyp('avif'), B.box('mdat', [1, 2, 3]))), 'malformed'); // no meta
    expectProbeError(() => probe(B.bytes(B.ftyp('avif'), B.box('free'), [0, 0, 0, 4, 0x6d])), 'truncated');
    const badIndex = B.fullBox(
      'meta', 0, 0,
      B.fullBox('pitm', 0, 0, B.be16(1)),
      B.box('iprp', B.box('ipco', B.ispe(1, 1)), B.fullBox('ipma', 0, 0, B.be32(1), B.be16(1), [1, 0x85])),
    );
    expectProbeError(() => probe(avif(badIndex)), 'malformed'); // property 5 of 1
    expectProbeError(() => probe(B.bytes(B.ftyp('avif'), B.bytes(B.be32(4), 'meta'))), 'malformed'); // size < header
  });
});

describe('gif', () => {
  const header = (w: number, h: number, packed = 0) => B.bytes('GIF89a', B.le16(w), B.le16(h), [packed, 0, 0]);
  // Image descriptor (no local table), LZW minimum code size 2, one data sub-block, terminator.
  const image = (w: number, h: number) =>
    B.bytes([0x2c], B.le16(0), B.le16(0), B.le16(w), B.le16(h), [0], [2, 1, 0x44, 0]);
  const gce = (transparent: boolean) => [0x21, 0xf9, 4, transparent ? 1 : 0, 0, 0, 0, 0];

  it('counts frames and finds GCE transparency', () => {
    expect(probe(B.bytes(header(5, 6), gce(false), image(5, 6), gce(true), image(5, 6), [0x3b]))).toMatchObject({
      width: 5,
      height: 6,
      frames: 2,
      hasAlpha: true,
    });
    expect(probe(B.bytes(header(5, 6), image(5, 6), [0x3b])).hasAlpha).toBe(false);
  });
  it('skips the global colour table and extensions with sub-blocks', () => {
    const app = B.bytes([0x21, 0xff, 11], 'NETSCAPE2.0', [3, 1, 0, 0, 0]);
    expect(probe(B.bytes(header(2, 2, 0x81), new Uint8Array(12), app, image(2, 2), [0x3b])).frames).toBe(1);
  });
  it('uses the first frame size when the logical screen is 0x0', () => {
    expect(probe(B.bytes(header(0, 0), image(9, 7), [0x3b]))).toMatchObject({ width: 9, height: 7 });
  });
  it('accepts a missing trailer or junk after a frame, not before', () => {
    expect(probe(B.bytes(header(3, 3), image(3, 3))).frames).toBe(1);
    expect(probe(B.bytes(header(3, 3), image(3, 3), [0x00, 0x99])).frames).toBe(1);
    expectProbeError(() => probe(B.bytes(header(3, 3), [0x99])), 'malformed');
    expectProbeError(() => probe(B.bytes(header(3, 3), gce(true))), 'truncated');
    expectProbeError(() => probe(B.bytes(header(3, 3), image(3, 3).subarray(0, 6))), 'truncated'); // cut descriptor
    expectProbeError(() => probe(B.bytes('GIF88a', new Uint8Array(20))), 'malformed');
  });
});
