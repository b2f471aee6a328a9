/**
 * GIF decoder over omggif (LZW, palettes, transparent index). Only the first frame is decoded: animated output is
 * not made yet, so an animated GIF gives its first frame, composited the way a browser first shows it, on a
 * transparent canvas the size of the logical screen (grown to hold the frame, src/codecs/probe/gif.ts).
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
    const layout = readLayout(bytes);
    const { first } = layout;
    if (first.end === undefined) throw new CodecError(CODEC, 'the file ends inside the first frame');
    const packed = bytes[first.descriptor + 9]!;
    if (!(bytes[10]! & HAS_TABLE) && !(packed & HAS_TABLE)) throw new CodecError(CODEC, 'the first frame has no colour table');

    let rows: Uint8ClampedArray;
    try {
      rows = new Uint8ClampedArray(first.width * first.height * 4);
      new GifReader(frameAlone(bytes, layout.blocks, first)).decodeAndBlitFrameRGBA(0, rows);
    } catch (error) {
      throw new CodecError(CODEC, error instanceof Error ? error.message : 'the data is corrupt');
    }
    const interlaced = (packed & INTERLACED) !== 0;
    const whole = !interlaced && first.left === 0 && first.top === 0 && first.width === layout.width && first.height === layout.height;
    const data = whole ? rows : place(rows, first, interlaced, layout.width, layout.height);
    return toFrame({ data, width: layout.width, height: layout.height }, layout.hasAlpha);
  },
};

function readLayout(bytes: Uint8Array) {
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

/** Copies the frame's rows onto a transparent canvas at its offset, in display order. */
function place(rows: Uint8ClampedArray, first: GifFirstFrame, interlaced: boolean, width: number, height: number): Uint8ClampedArray {
  const canvas = new Uint8ClampedArray(width * height * 4);
  const order = interlaced ? interlaceOrder(first.height) : undefined;
  const stride = first.width * 4;
  for (let r = 0; r < first.height; r++) {
    const y = first.top + (order ? order[r]! : r);
    canvas.set(rows.subarray(r * stride, (r + 1) * stride), (y * width + first.left) * 4);
  }
  return canvas;
}

/** Display row of each stored row of an interlaced frame: every 8th from 0, every 8th from 4, every 4th from 2, odd rows. */
function interlaceOrder(height: number): number[] {
  const order: number[] = [];
  for (const [start, step] of [[0, 8], [4, 8], [2, 4], [1, 2]] as const) {
    for (let y = start; y < height; y += step) order.push(y);
  }
  return order;
}
