/**
 * GIF decoder over omggif (LZW, palettes, transparent index). As a still, a GIF gives its first frame, composited
 * the way a browser first shows it, on a transparent canvas the size of the logical screen (grown to hold the
 * frame, src/codecs/probe/gif.ts); animations are read frame by frame by animation/gif.ts with gifFrameRows.
 *
 * omggif blits a frame into a canvas the width of the screen and has no clipping, and its interlace walk goes
 * wrong for frames under 8 rows, so it is handed a one-frame GIF of the frame alone, at (0, 0), marked
 * non-interlaced; the rows are then put in their place here.
 */
import { GifReader } from 'omggif';
import { CodecError } from './errors';
import { toFrame } from './frames';
import { gifLayout, type GifFirstFrame } from './probe/gif';
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
  if (!(bytes[10]! & HAS_TABLE) && !(packed & HAS_TABLE)) throw new CodecError(CODEC, 'a frame has no colour table');
  let rows: Uint8ClampedArray;
  try {
    rows = new Uint8ClampedArray(frame.width * frame.height * 4);
    new GifReader(frameAlone(bytes, blocks, frame)).decodeAndBlitFrameRGBA(0, rows);
  } catch (error) {
    throw new CodecError(CODEC, error instanceof Error ? error.message : 'the data is corrupt');
  }
  return (packed & INTERLACED) !== 0 ? deinterlace(rows, frame.width, frame.height) : rows;
}

export function readGifLayout(bytes: Uint8Array) {
  try {
    return gifLayout(bytes);
  } catch (error) {
    if (error instanceof ProbeError) throw new CodecError(CODEC, error.message);
    throw error;
  }
}

/** A GIF holding the first frame only: header, global table, its transparency, its descriptor at (0, 0) and data. */
function frameAlone(b: Uint8Array, blocks: number, first: GifFirstFrame): Uint8Array {
  const control = first.control === undefined ? [] : [0x21, 0xf9, 4, b[first.control + 3]!, 0, 0, b[first.control + 6]!, 0];
  const image = b.slice(first.descriptor, first.end);
  image.fill(0, 1, 5); // left, top
  image[9]! &= ~INTERLACED;
  const out = new Uint8Array(blocks + control.length + image.length + 1);
  out.set(b.subarray(0, blocks));
  out.set([0x38, 0x39, 0x61], 3); // 89a: the Graphic Control Extension needs it
  out[6] = first.width & 0xff;
  out[7] = first.width >> 8;
  out[8] = first.height & 0xff;
  out[9] = first.height >> 8;
  out.set(control, blocks);
  out.set(image, blocks + control.length);
  out[out.length - 1] = 0x3b;
  return out;
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
