/**
 * Resizing with edgepix's own streaming resampler (wasm/resize/resize.c): Lanczos3 in sRGB, premultiplied only
 * when the frame has alpha, with a box shrink by a whole factor first for big reductions (as libvips does).
 *
 * Source rows are copied into the module a chunk at a time and output rows copied out as they are finished, so
 * its heap holds a chunk of input, a ring of filtered rows and a chunk of output — never a whole frame, in
 * either direction. One instance per isolate is reused (withInstance); a trap throws it away.
 */
import { createFrame, type Frame } from '../image/frame';
import { CodecError, codecCall } from './errors';
import { bytesOf } from './wasm/bytes';
import { withInstance } from './wasm/instances';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from './wasm/standalone';

interface ResizeExports extends StandaloneExports {
  resize_begin(inW: number, inH: number, outW: number, outH: number, shrinkX: number, shrinkY: number, flags: number): number;
  resize_input(handle: number): number;
  resize_input_rows(handle: number): number;
  resize_output(handle: number): number;
  resize_want(handle: number): number;
  resize_push(handle: number, rows: number): number;
  resize_pull(handle: number): number;
  resize_end(handle: number): void;
}

/** resize.c's flags. */
const ALPHA = 1;
const BOX_SOURCE = 8;
export const FILTERS = { lanczos3: 0, triangle: 1 } as const;
export type ResizeFilter = keyof typeof FILTERS;

/** The module's limits: larger sides or shrink factors are refused. */
const MAX_SIDE = 65535;
const MAX_SHRINK = 128;

export interface ResizeOptions {
  filter?: ResizeFilter;
  /**
   * Box-shrink by a whole factor per axis before filtering, leaving at least this much reduction for the filter
   * (libvips' "gap"). 0 turns the shrink off. Default 2.
   */
  gap?: number;
}

const boot = async () => instantiateStandalone<ResizeExports>('edgepixResize');

export async function resizeFrame(frame: Frame, width: number, height: number, options: ResizeOptions = {}): Promise<Frame> {
  if (frame.width === width && frame.height === height) return frame;
  if (![width, height].every((side) => Number.isInteger(side) && side >= 1 && side <= MAX_SIDE)) {
    throw new CodecError('resize', `cannot resize to ${width}×${height}`);
  }
  const gap = options.gap ?? 2;
  const shrinkX = shrinkFor(frame.width, width, gap);
  const shrinkY = shrinkFor(frame.height, height, gap);
  const flags =
    (frame.hasAlpha ? ALPHA : 0) | (FILTERS[options.filter ?? 'lanczos3'] << 1) | (frame.boxFiltered ? BOX_SOURCE : 0);
  return codecCall('resize', () =>
    withInstance('edgepixResize', boot, (module) => run(module, frame, width, height, shrinkX, shrinkY, flags)),
  );
}

/** The largest whole shrink that leaves at least `gap`× for the filter (1 when `gap` is 0 or there is no room). */
export function shrinkFor(from: number, to: number, gap: number): number {
  if (gap <= 0) return 1;
  return Math.min(MAX_SHRINK, Math.max(1, Math.floor(from / (gap * to))));
}

function run(
  module: StandaloneModule<ResizeExports>,
  frame: Frame,
  width: number,
  height: number,
  shrinkX: number,
  shrinkY: number,
  flags: number,
): Frame {
  const x = module.exports;
  const handle = x.resize_begin(frame.width, frame.height, width, height, shrinkX, shrinkY, flags);
  if (!handle) throw new CodecError('resize', `cannot resize ${frame.width}×${frame.height} to ${width}×${height} (out of memory?)`);
  const out = createFrame(width, height, frame.hasAlpha);
  const inRow = frame.width * 4;
  const outRow = width * 4;
  const input = x.resize_input(handle);
  const output = x.resize_output(handle);
  const source = bytesOf(frame.data);
  const target = bytesOf(out.data);
  // The module allocates only in resize_begin, so this view stays valid until resize_end.
  const heap = new Uint8Array(x.memory.buffer);
  let rowsIn = 0;
  let rowsOut = 0;
  while (rowsOut < height) {
    const made = x.resize_pull(handle);
    if (made > 0) {
      target.set(heap.subarray(output, output + made * outRow), rowsOut * outRow);
      rowsOut += made;
      continue;
    }
    const rows = x.resize_want(handle);
    if (rows <= 0) throw new CodecError('resize', 'the resampler stalled');
    heap.set(source.subarray(rowsIn * inRow, (rowsIn + rows) * inRow), input);
    if (x.resize_push(handle, rows) !== 0) throw new CodecError('resize', 'the resampler refused input rows');
    rowsIn += rows;
  }
  x.resize_end(handle);
  return out;
}
