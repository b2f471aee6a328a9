/**
 * Writes PNGs for tests, in any colour type and bit depth, optionally Adam7-interlaced, with the five filter
 * types used in turn (so a decoder's every defilter runs) and the image data split over several IDAT chunks.
 * Samples come from a function, so a test knows what every pixel must decode to.
 */
import { crc32 } from '../../src/codecs/crc32';

export type ColourType = 0 | 2 | 3 | 4 | 6;

export interface PngSpec {
  width: number;
  height: number;
  colourType: ColourType;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  interlaced?: boolean;
  /** Colour type 3: RGB triples. */
  palette?: Uint8Array;
  /** The tRNS chunk's data, as stored. */
  transparency?: Uint8Array;
  /** Chunks written after IHDR (and PLTE, tRNS), before the image data. */
  ancillary?: { type: string; data: Uint8Array }[];
  /** One filter type (0–4) for every row; by default they take turns. */
  filter?: number;
  /** The stored value of channel `channel` at (x, y), 0 … 2^bitDepth − 1 (a palette index for colour type 3). */
  sample(x: number, y: number, channel: number): number;
}

export const CHANNELS: Record<ColourType, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7's passes: first column and row, column and row steps. A plain image is one pass over everything. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

export async function writePng(spec: PngSpec): Promise<Uint8Array> {
  const { width, height, colourType, bitDepth } = spec;
  const channels = CHANNELS[colourType];
  const bitsPerPixel = channels * bitDepth;
  const bytesPerPixel = Math.max(1, bitsPerPixel >> 3);
  const parts: Uint8Array[] = [];
  let rowIndex = 0;
  for (const [x0, y0, dx, dy] of spec.interlaced ? ADAM7 : [[0, 0, 1, 1] as const]) {
    const passWidth = Math.ceil((width - x0) / dx);
    const passHeight = Math.ceil((height - y0) / dy);
    if (passWidth <= 0 || passHeight <= 0) continue;
    const rowBytes = Math.ceil((passWidth * bitsPerPixel) / 8);
    let previous = new Uint8Array(rowBytes);
    for (let py = 0; py < passHeight; py++, rowIndex++) {
      const raw = new Uint8Array(rowBytes);
      let bit = 0;
      for (let px = 0; px < passWidth; px++) {
        for (let c = 0; c < channels; c++, bit += bitDepth) {
          const value = spec.sample(x0 + px * dx, y0 + py * dy, c);
          if (bitDepth === 16) {
            raw[bit >> 3] = value >> 8;
            raw[(bit >> 3) + 1] = value & 255;
          } else {
            raw[bit >> 3]! |= value << (8 - bitDepth - (bit & 7));
          }
        }
      }
      const filter = spec.filter ?? rowIndex % 5;
      const line = new Uint8Array(rowBytes + 1);
      line[0] = filter;
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bytesPerPixel ? raw[i - bytesPerPixel]! : 0;
        const b = previous[i]!;
        const c = i >= bytesPerPixel ? previous[i - bytesPerPixel]! : 0;
        line[i + 1] = raw[i]! - predict(filter, a, b, c);
      }
      parts.push(line);
      previous = raw;
    }
  }
  const compressed = await deflate(parts);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([bitDepth, colourType, 0, 0, spec.interlaced ? 1 : 0], 8);
  const chunks = [chunk('IHDR', header)];
  if (spec.palette) chunks.push(chunk('PLTE', spec.palette));
  if (spec.transparency) chunks.push(chunk('tRNS', spec.transparency));
  for (const { type, data } of spec.ancillary ?? []) chunks.push(chunk(type, data));
  // Odd-sized IDAT chunks, so reads cross chunk boundaries anywhere.
  for (let at = 0; at < compressed.length; at += 65_521) chunks.push(chunk('IDAT', compressed.subarray(at, at + 65_521)));
  chunks.push(chunk('IEND', new Uint8Array(0)));
  return concat([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

/** A chunk: length, type, data and the CRC of type and data. */
export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** What filter type `filter` predicts a byte from: its left (a), upper (b) and upper-left (c) neighbours. */
function predict(filter: number, a: number, b: number, c: number): number {
  switch (filter) {
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return (a + b) >> 1;
    case 4:
      return paeth(a, b, c);
    default:
      return 0;
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** zlib format (what IDAT holds), through the platform's CompressionStream. */
async function deflate(parts: Uint8Array[]): Promise<Uint8Array> {
  const stream = new Blob(parts).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
