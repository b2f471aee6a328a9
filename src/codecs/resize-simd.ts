/**
 * Resizing with edgepix's own streaming resampler (wasm/resize/resize.c): Lanczos3 in sRGB, premultiplied only
 * when the frame has alpha, with a box shrink by a whole factor first for big reductions (as libvips does).
 *
 * Source rows are copied into the module a chunk at a time and output rows copied out as they are finished, so
 * its heap holds a chunk of input, a ring of filtered rows and a chunk of output — never a whole frame, in
 * either direction. The source may be a frame or a streaming decode (FrameSource), read as it comes. One
 * instance per isolate is reused (withInstance); a trap throws it away.
 */
import { byteView, createFrame, type Frame } from '../image/frame';
import { type FrameSource, isFrameSource, materialize, type RowConsumer, rowsOf, settleAlpha } from '../image/frame-source';
import { CodecError, codecCall } from './errors';
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

/**
 * Resizes a frame, or a row source as it is read (a streaming decode goes straight into the resampler and the
 * decoded image is never held whole).
 */
export async function resizeFrame(
  image: Frame | FrameSource,
  width: number,
  height: number,
  options: ResizeOptions = {},
): Promise<Frame> {
  if (image.width === width && image.height === height) return materialize(image);
  const rows = resizeRows(image, width, height, options);
  const out = createFrame(width, height, rows.hasAlpha);
  const target = byteView(out.data);
  const stride = width * 4;
  let row = 0;
  await rows.read((strip, count) => {
    target.set(strip.subarray(0, count * stride), row * stride);
    row += count;
  });
  return isFrameSource(image) ? settleAlpha(out, image) : out;
}

/**
 * The resized image as a row source: its rows are made when read, and handed on as they come out of the
 * resampler (views of its memory, valid during the call), so an encoder can take them without the output ever
 * being held whole. Reading it reads `image`.
 */
export function resizeRows(
  image: Frame | FrameSource,
  width: number,
  height: number,
  options: ResizeOptions = {},
): FrameSource {
  if (![width, height].every((side) => Number.isInteger(side) && side >= 1 && side <= MAX_SIDE)) {
    throw new CodecError('resize', `cannot resize to ${width}×${height}`);
  }
  const gap = options.gap ?? 2;
  const shrinkX = shrinkFor(image.width, width, gap);
  const shrinkY = shrinkFor(image.height, height, gap);
  const flags =
    (image.hasAlpha ? ALPHA : 0) | (FILTERS[options.filter ?? 'lanczos3'] << 1) | (image.boxFiltered ? BOX_SOURCE : 0);
  const source = isFrameSource(image) ? image : rowsOf(image);
  return {
    width,
    height,
    hasAlpha: image.hasAlpha,
    alphaUnchecked: source.alphaUnchecked,
    async read(onRows) {
      await codecCall('resize', () =>
        withInstance('edgepixResize', boot, (module) => run(module, source, width, height, shrinkX, shrinkY, flags, onRows)),
      );
    },
  };
}

/** The largest whole shrink that leaves at least `gap`× for the filter (1 when `gap` is 0 or there is no room). */
export function shrinkFor(from: number, to: number, gap: number): number {
  if (gap <= 0) return 1;
  return Math.min(MAX_SHRINK, Math.max(1, Math.floor(from / (gap * to))));
}

/**
 * Feeds the source's strips to the module as fast as its ring takes them, copying finished rows out in
 * between. Views of the heap are made afresh for every copy: the source's reads may await, and another request
 * may grow this instance's memory meanwhile.
 */
async function run(
  module: StandaloneModule<ResizeExports>,
  source: FrameSource,
  width: number,
  height: number,
  shrinkX: number,
  shrinkY: number,
  flags: number,
  onRows: RowConsumer,
): Promise<true> {
  const x = module.exports;
  const handle = x.resize_begin(source.width, source.height, width, height, shrinkX, shrinkY, flags);
  if (!handle) {
    throw new CodecError('resize', `cannot resize ${source.width}×${source.height} to ${width}×${height} (out of memory?)`);
  }
  const inRow = source.width * 4;
  const outRow = width * 4;
  const input = x.resize_input(handle);
  const output = x.resize_output(handle);
  let rowsIn = 0;
  let rowsOut = 0;
  const pull = () => {
    for (let made = x.resize_pull(handle); made > 0; made = x.resize_pull(handle)) {
      rowsOut += made;
      onRows(new Uint8Array(x.memory.buffer, output, made * outRow), made);
    }
  };
  await source.read((rows, count) => {
    for (let at = 0; at < count; ) {
      pull();
      const take = Math.min(x.resize_want(handle), count - at);
      if (take <= 0) throw new CodecError('resize', `the resampler took ${rowsIn} of ${source.height} rows and stalled`);
      new Uint8Array(x.memory.buffer, input, take * inRow).set(rows.subarray(at * inRow, (at + take) * inRow));
      if (x.resize_push(handle, take) !== 0) throw new CodecError('resize', 'the resampler refused input rows');
      at += take;
      rowsIn += take;
    }
  });
  pull();
  if (rowsOut !== height) throw new CodecError('resize', `the source ended after ${rowsIn} of its ${source.height} rows`);
  x.resize_end(handle);
  return true;
}
