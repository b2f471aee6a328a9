// Tiny byte builders for hand-made headers: the cases no fixture covers (AVIF irot/imir, odd EXIF, broken fields).
import { crc32 } from 'node:zlib';

export type Part = Uint8Array | number[] | string;

/** Concatenates parts; strings are Latin-1, number arrays are bytes. */
export function bytes(...parts: Part[]): Uint8Array {
  const arrays = parts.map((p) =>
    typeof p === 'string' ? Uint8Array.from(p, (c) => c.charCodeAt(0)) : Uint8Array.from(p),
  );
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

export const be16 = (v: number) => [(v >>> 8) & 0xff, v & 0xff];
export const be32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
export const le16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
export const le24 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff];
export const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

// ---------------------------------------------------------------- TIFF / EXIF

/** A TIFF block whose IFD0 holds one Orientation entry (SHORT unless `type` says otherwise). */
export function tiff(orientation: number, le: boolean, type = 3): Uint8Array {
  const u16 = le ? le16 : be16;
  const u32 = le ? le32 : be32;
  const value = type === 3 ? [...u16(orientation), 0, 0] : u32(orientation);
  return bytes(le ? 'II' : 'MM', u16(42), u32(8), u16(1), u16(0x0112), u16(type), u32(1), value, u32(0));
}

// ---------------------------------------------------------------- JPEG

export const SOI = [0xff, 0xd8];
export function segment(marker: number, payload: Part = []): Uint8Array {
  const p = bytes(payload);
  return bytes([0xff, marker], be16(p.length + 2), p);
}
/** SOFn for `components` components. */
export function sof(marker: number, width: number, height: number, precision = 8, components = 3): Uint8Array {
  const specs = Array.from({ length: components }, (_, i) => [i + 1, 0x11, 0]).flat();
  return segment(marker, bytes([precision], be16(height), be16(width), [components], specs));
}
export const sos = () => segment(0xda, [1, 1, 0, 0, 63, 0]);
export const app1Exif = (t: Uint8Array) => segment(0xe1, bytes('Exif\0\0', t));
export const jpeg = (...segments: Part[]) => bytes(SOI, ...segments);

// ---------------------------------------------------------------- PNG

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export function chunk(type: string, data: Part = []): Uint8Array {
  const body = bytes(type, data);
  return bytes(be32(body.length - 4), body, be32(crc32(body) >>> 0));
}
export const ihdr = (w: number, h: number, depth = 8, colour = 2) =>
  chunk('IHDR', bytes(be32(w), be32(h), [depth, colour, 0, 0, 0]));
export const png = (...chunks: Part[]) => bytes(PNG_SIGNATURE, ...chunks);

// ---------------------------------------------------------------- WebP (RIFF)

export function riffChunk(type: string, data: Part): Uint8Array {
  const d = bytes(data);
  return bytes(type, le32(d.length), d, d.length & 1 ? [0] : []);
}
export function webp(...chunks: Part[]): Uint8Array {
  const body = bytes('WEBP', ...chunks);
  return bytes('RIFF', le32(body.length), body);
}
/** VP8X payload: flags, reserved, canvas width-1 and height-1 (24-bit). */
export const vp8x = (flags: number, w: number, h: number) =>
  riffChunk('VP8X', bytes([flags, 0, 0, 0], le24(w - 1), le24(h - 1)));

// ---------------------------------------------------------------- ISOBMFF (AVIF)

export const box = (type: string, ...payload: Part[]) => {
  const p = bytes(...payload);
  return bytes(be32(p.length + 8), type, p);
};
export const fullBox = (type: string, version: number, flags: number, ...payload: Part[]) =>
  box(type, [version, (flags >>> 16) & 0xff, (flags >>> 8) & 0xff, flags & 0xff], ...payload);
export const ftyp = (major: string, ...compatible: string[]) => box('ftyp', major, be32(0), ...compatible);
export const ispe = (w: number, h: number) => fullBox('ispe', 0, 0, be32(w), be32(h));
export const ALPHA_URN = 'urn:mpeg:mpegB:cicp:systems:auxiliary:alpha';

/**
 * A minimal AVIF meta box: item 1 is primary; `properties` go into ipco and all are associated with item 1, except
 * those listed in `others` (associated with item 2, e.g. an alpha item's ispe/auxC).
 */
export function avifMeta(properties: Uint8Array[], others: Uint8Array[] = []): Uint8Array {
  const all = [...properties, ...others];
  const idx = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i + 1);
  const entry = (id: number, indexes: number[]) => [...be16(id), indexes.length, ...indexes.map((i) => 0x80 | i)];
  const entries = [entry(1, idx(0, properties.length))];
  if (others.length) entries.push(entry(2, idx(properties.length, others.length)));
  return fullBox(
    'meta',
    0,
    0,
    fullBox('hdlr', 0, 0, be32(0), 'pict', new Uint8Array(12), [0]),
    fullBox('pitm', 0, 0, be16(1)),
    box('iprp', box('ipco', ...all), fullBox('ipma', 0, 0, be32(entries.length), entries.flat())),
  );
}

/** moov with one track per handler, each with a stsz holding `samples`. */
export function moov(...tracks: [handler: string, samples: number][]): Uint8Array {
  return box(
    'moov',
    ...tracks.map(([handler, samples]) =>
      box(
        'trak',
        box(
          'mdia',
          fullBox('hdlr', 0, 0, be32(0), handler, new Uint8Array(12), [0]),
          box('minf', box('stbl', fullBox('stsz', 0, 0, be32(0), be32(samples)))),
        ),
      ),
    ),
  );
}
