/**
 * GIF decoder: palettes, the transparent index and interlacing here, LZW in gif-lzw.ts. As a still, a GIF gives its
 * first frame, composited the way a browser first shows it, on a transparent canvas the size of the logical screen
 * (grown to hold the frame, src/codecs/probe/gif.ts); animations are read frame by frame by animation/gif.ts with
 * gifFrameRows. A frame's rows are decoded alone and put in their place on the canvas.
 */
import { CodecError } from './errors';
import { toFrame } from './frames';
import { lzwDecode } from './gif-lzw';
import { colourTableSize, gifLayout, type GifFirstFrame } from './probe/gif';
import { ProbeError } from './probe/errors';
import type { Decoder } from './types';

const CODEC = 'gif decoder';
const INTERLACED = 0x40;
const HAS_TABLE = 0x80;

export const gifDecoder: Decoder = {
  format: 'gif',
  async decode(bytes) {
    const layout = readGifLayout(bytes);
    const { first } = layout;
    const rows = gifFrameRows(bytes, layout.blocks, first);
    const whole = first.left === 0 && first.top === 0 && first.width === layout.width && first.height === layout.height;
    const data = whole ? rows : place(rows, first, layout.width, layout.height);
    return toFrame({ data, width: layout.width, height: layout.height }, layout.hasAlpha);
  },
};

/**
 * One frame's pixels, `frame.width` × `frame.height` RGBA in display order (deinterlaced), its transparent index
 * as alpha 0. Throws a CodecError for a frame cut short or without a colour table.
 */
export function gifFrameRows(bytes: Uint8Array, blocks: number, frame: GifFirstFrame): Uint8ClampedArray {
  if (frame.end === undefined) throw new CodecError(CODEC, 'the file ends inside a frame');
  const packed = bytes[frame.descriptor + 9]!;
  const local = (packed & HAS_TABLE) !== 0;
  if (!(bytes[10]! & HAS_TABLE) && !local) throw new CodecError(CODEC, 'a frame has no colour table');
  const table = local ? frame.descriptor + 10 : 13;
  const colours = colourTableSize(local ? packed : bytes[10]!) / 3;
  const dataStart = frame.descriptor + 10 + (local ? colourTableSize(packed) : 0);
  const minCodeSize = bytes[dataStart]!;
  if (minCodeSize < 1 || minCodeSize > 11) throw new CodecError(CODEC, `bad LZW code size ${minCodeSize}`);
  const indices = new Uint8Array(frame.width * frame.height);
  let drawn: number;
  try {
    drawn = lzwDecode(subBlocks(bytes, dataStart + 1, frame.end), minCodeSize, indices);
  } catch (error) {
    throw new CodecError(CODEC, error instanceof Error ? error.message : 'the data is corrupt');
  }
  const flags = frame.control === undefined ? 0 : bytes[frame.control + 3]!;
  const transparent = flags & 1 ? bytes[frame.control! + 6]! : -1;
  const rows = new Uint8ClampedArray(frame.width * frame.height * 4);
  for (let p = 0; p < drawn; p++) {
    const index = indices[p]!;
    if (index === transparent) continue;
    // An index past the table shows black, as browsers do.
    if (index < colours) rows.set(bytes.subarray(table + index * 3, table + index * 3 + 3), p * 4);
    rows[p * 4 + 3] = 255;
  }
  return (packed & INTERLACED) !== 0 ? deinterlace(rows, frame.width, frame.height) : rows;
}

/** The data of a chain of sub-blocks from `start` (each a length byte and its bytes) up to `end`, joined. */
function subBlocks(b: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end && b[i]! > 0; i += b[i]! + 1) {
    out.set(b.subarray(i + 1, Math.min(end, i + 1 + b[i]!)), n);
    n += b[i]!;
  }
  return out.subarray(0, n);
}

export function readGifLayout(bytes: Uint8Array) {
  return readingGif(() => gifLayout(bytes));
}

/** Runs a read of the GIF's blocks: a block cut short or malformed is the decoder's error (a 422). */
export function readingGif<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ProbeError) throw new CodecError(CODEC, error.message);
    throw error;
  }
}

/** Copies the frame's rows onto a transparent canvas at its offset. */
function place(rows: Uint8ClampedArray, first: GifFirstFrame, width: number, height: number): Uint8ClampedArray {
  const canvas = new Uint8ClampedArray(width * height * 4);
  const stride = first.width * 4;
  for (let r = 0; r < first.height; r++) canvas.set(rows.subarray(r * stride, (r + 1) * stride), ((first.top + r) * width + first.left) * 4);
  return canvas;
}

/** Puts the rows of an interlaced frame, stored in pass order, in display order. */
function deinterlace(rows: Uint8ClampedArray, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rows.length);
  const order = interlaceOrder(height);
  const stride = width * 4;
  for (let r = 0; r < height; r++) out.set(rows.subarray(r * stride, (r + 1) * stride), order[r]! * stride);
  return out;
}

/** Display row of each stored row of an interlaced frame: every 8th from 0, every 8th from 4, every 4th from 2, odd rows. */
function interlaceOrder(height: number): number[] {
  const order: number[] = [];
  for (const [start, step] of [[0, 8], [4, 8], [2, 4], [1, 2]] as const) {
    for (let y = start; y < height; y += step) order.push(y);
  }
  return order;
}
