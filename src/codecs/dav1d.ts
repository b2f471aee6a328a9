/**
 * AVIF decoder over our dav1d module (wasm/avif/). The container is read here (probe/heif.ts): the
 * primary item's AV1 data goes to dav1d, which decodes it into YUV planes inside the module, and the module
 * converts them to RGBA a strip at a time (with the alpha item's plane, when there is one) for the pipeline's
 * first resize (a FrameSource), so a decoded RGBA image never exists. A grid image is decoded a row of tiles
 * at a time: its memory is one row of tiles' planes, not the image's.
 *
 * The module holds an item's AV1 data while dav1d decodes it, the YUV planes (1.5 bytes a pixel for 8-bit
 * 4:2:0, twice that at 10 and 12 bits), dav1d's per-frame state and one strip. decodeMemory() estimates that
 * from the header; a decode above the budget is refused before it starts (→ 422).
 */
import { type FrameSource, materialize, type RowConsumer } from '../image/frame-source';
import { yuvMatrix } from './avif-matrix';
import { CodecError, codecCall } from './errors';
import { ProbeError } from './probe/errors';
import {
  type HeifItem,
  type HeifMeta,
  alphaItemOf,
  colourOf,
  gridOf,
  itemData,
  propertyOf,
  readHeifMeta,
  referencedBy,
  spatialExtent,
} from './probe/heif';
import { u8 } from './probe/bytes';
import type { Decoder, ImageInfo } from './types';
import { withInstance } from './wasm/instances';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from './wasm/standalone';

interface AvifExports extends StandaloneExports {
  av1_error(): number;
  av1_open(maxPixels: number): number;
  av1_close(context: number): void;
  av1_decode(context: number, data: number, length: number, info: number): number;
  av1_release(picture: number): void;
  avif_rows(
    color: number,
    alpha: number,
    y: number,
    rows: number,
    x: number,
    width: number,
    out: number,
    outStride: number,
    matrix: number,
    kr: number,
    kb: number,
    flags: number,
  ): number;
}
type AvifModule = StandaloneModule<AvifExports>;

const COLOUR_FULL_RANGE = 1;
const ALPHA_FULL_RANGE = 2;
const ALPHA_PREMULTIPLIED = 4;

/**
 * What the module may hold for one decode: with dav1d's state, the planes of up to ~40 MP at 8-bit 4:2:0,
 * 24 MP at 10-12-bit 4:2:0 or 8-bit 4:4:4, 14 MP at 10-12-bit 4:4:4; a grid needs only one row of tiles. With
 * the resizer and the encoder (~5 MB for an 800-px WebP) that stays inside the isolate's 128 MB.
 */
export const AVIF_DECODE_BUDGET_BYTES = 100e6;
/** The strip of RGBA rows the module writes (at least one row). */
const STRIP_BYTES = 256 * 1024;
/** dav1d's context and per-frame state that does not grow with the frame, the stack and allocator slack. */
const WORKING_BYTES = 3e6;
/**
 * dav1d's per-frame state that does (loop-filter levels and masks, CDEF and restoration lines), per pixel:
 * 0.6 measured, plus room for the allocator and memory growth.
 */
const STATE_BYTES_PER_PIXEL = 0.7;
/** The largest frame dav1d is allowed to allocate (its frame_size_limit); a grid tile must stay under it too. */
const MAX_FRAME_PIXELS = 64e6;

interface Plane {
  /** Tiles row by row (a single image is one tile). */
  tiles: HeifItem[];
  rows: number;
  columns: number;
  /**
   * A tile's size as its ispe declares it (the image's for a single item): the estimate counts it, and dav1d
   * is told to refuse any larger frame, so AV1 data that lies about its size cannot take more memory.
   */
  tileWidth: number;
  tileHeight: number;
}

/** What the decode reads from the container, with the colour the nclx box declares. */
interface Layout {
  width: number;
  height: number;
  colour: Plane;
  alpha?: Plane;
  premultiplied: boolean;
  matrix?: number;
  fullRange?: boolean;
}

const fail = (reason: string) => new CodecError('avif decoder', reason);

/** An item's AV1 images: itself ('av01'), or a grid's tiles in raster order with the grid's descriptor. */
function planeOf(bytes: Uint8Array, meta: HeifMeta, item: HeifItem, size: { width: number; height: number }): Plane {
  const grid = item.type === 'grid' ? gridOf(bytes, item, fail) : undefined;
  const tiles = grid ? referencedBy(meta, item.id, 'dimg').map((id) => meta.items.get(id)) : [item];
  if (grid && tiles.length !== grid.rows * grid.columns) {
    throw fail(`the grid has ${grid.columns}×${grid.rows} cells but ${tiles.length} tiles`);
  }
  for (const tile of tiles) {
    if (tile?.type !== 'av01') throw fail(`item ${tile?.id ?? item.id} is '${tile?.type ?? 'missing'}', not an AV1 image`);
  }
  const rows = grid?.rows ?? 1;
  const columns = grid?.columns ?? 1;
  const outputWidth = grid?.outputWidth ?? size.width;
  const outputHeight = grid?.outputHeight ?? size.height;
  if (outputWidth !== size.width || outputHeight !== size.height) {
    throw fail(`the grid is ${outputWidth}×${outputHeight}, its ispe ${size.width}×${size.height}`);
  }
  // MIAF requires ispe on every image item; without one a tile is taken to be its share of the image.
  const declared = spatialExtent(bytes, tiles[0]!) ?? {
    width: Math.ceil(size.width / columns),
    height: Math.ceil(size.height / rows),
  };
  return { tiles: tiles as HeifItem[], rows, columns, tileWidth: declared.width, tileHeight: declared.height };
}

function layoutOf(bytes: Uint8Array, info: ImageInfo): Layout {
  try {
    const meta = readHeifMeta(bytes);
    const primary = meta.items.get(meta.primary);
    if (!primary) throw fail(`the primary item ${meta.primary} is not in iinf`);
    const size = { width: info.width, height: info.height };
    const colour = planeOf(bytes, meta, primary, size);
    const alphaItem = alphaItemOf(bytes, meta, primary.id);
    // A prem reference ties colour and alpha: the colour samples were multiplied by alpha.
    const premultiplied =
      alphaItem !== undefined &&
      (referencedBy(meta, primary.id, 'prem').includes(alphaItem.id) ||
        referencedBy(meta, alphaItem.id, 'prem').includes(primary.id));
    // The probe reports colr for colour management; the YUV matrix comes from nclx, else from the AV1 stream.
    const nclx = colourOf(bytes, primary) ?? colourOf(bytes, colour.tiles[0]!);
    return {
      ...size,
      colour,
      alpha: alphaItem && planeOf(bytes, meta, alphaItem, size),
      premultiplied,
      matrix: nclx?.matrix,
      fullRange: nclx?.fullRange,
    };
  } catch (error) {
    if (error instanceof ProbeError) throw fail(error.message);
    throw error;
  }
}

/** av1C's chroma layout and depth (AV1CodecConfigurationRecord byte 2). */
function av1Layout(bytes: Uint8Array, item: HeifItem) {
  const av1c = propertyOf(item, 'av1C');
  if (!av1c) return undefined;
  const flags = u8(bytes, av1c.data + 2, av1c.end);
  return {
    bitDepth: flags & 0x40 ? (flags & 0x20 ? 12 : 10) : 8,
    monochrome: (flags & 0x10) !== 0,
    subsampleX: (flags & 0x08) !== 0,
    subsampleY: (flags & 0x04) !== 0,
  };
}

/** Bytes dav1d's default allocator takes for one picture (src/picture.c: 128-aligned sides, planes). */
function pictureBytes(width: number, height: number, bitDepth: number, chroma: 'mono' | '420' | '422' | '444'): number {
  const w = Math.ceil(width / 128) * 128 * (bitDepth > 8 ? 2 : 1) + 64;
  const h = Math.ceil(height / 128) * 128;
  const chromaPlanes = { mono: 0, '420': 0.5, '422': 1, '444': 2 }[chroma];
  return w * h * (1 + chromaPlanes);
}

/** One plane's peak: a row of tiles' pictures, the state of decoding one tile, and the largest tile's data. */
function planeMemory(bytes: Uint8Array, plane: Plane, alpha: boolean): number {
  const tile = plane.tiles[0]!;
  const size = { width: plane.tileWidth, height: plane.tileHeight };
  const av1 = av1Layout(bytes, tile);
  const depth = av1?.bitDepth ?? 8;
  const chroma = !av1 ? '420' : av1.monochrome || alpha ? 'mono' : !av1.subsampleX ? '444' : av1.subsampleY ? '420' : '422';
  // An alpha plane coded 4:2:0 (most encoders) still has chroma planes; count it as coded.
  const coded = alpha && av1 && !av1.monochrome ? (av1.subsampleY ? '420' : av1.subsampleX ? '422' : '444') : chroma;
  const largestData = Math.max(...plane.tiles.map((t) => t.extents.reduce((n, e) => n + e.length, 0)));
  return (
    plane.columns * pictureBytes(size.width, size.height, depth, coded) +
    size.width * size.height * STATE_BYTES_PER_PIXEL +
    largestData
  );
}

/**
 * Estimated peak bytes of the module for decoding `bytes` (the file itself, held by JS, not included). A
 * container too broken to read is estimated as one 4:4:4 item of the probed size (its decode fails anyway).
 */
export function avifDecodeMemory(bytes: Uint8Array, info: ImageInfo): number {
  let layout: Layout;
  try {
    layout = layoutOf(bytes, info);
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    const picture = pictureBytes(info.width, info.height, info.bitDepth, '444');
    return WORKING_BYTES + picture * (info.hasAlpha ? 2 : 1) + info.width * info.height * STATE_BYTES_PER_PIXEL + bytes.byteLength;
  }
  return memoryOf(bytes, layout);
}

function memoryOf(bytes: Uint8Array, layout: Layout): number {
  const colour = planeMemory(bytes, layout.colour, false);
  const alpha = layout.alpha ? planeMemory(bytes, layout.alpha, true) : 0;
  return WORKING_BYTES + colour + alpha + Math.max(STRIP_BYTES, layout.width * 4);
}

const mb = (bytes: number) => `${Math.ceil(bytes / 1e6)} MB`;

function checkBudget(bytes: Uint8Array, info: ImageInfo): Layout {
  const layout = layoutOf(bytes, info);
  const needed = memoryOf(bytes, layout);
  if (needed > AVIF_DECODE_BUDGET_BYTES) {
    throw new CodecError(
      'avif decoder',
      `this ${info.width}×${info.height} AVIF needs about ${mb(needed)} of memory to decode, over the ` +
        `${mb(AVIF_DECODE_BUDGET_BYTES)} a decode may use`,
    );
  }
  return layout;
}

/** What av1_decode reports about a picture (wasm/avif/avif.c). */
interface Picture {
  pointer: number;
  width: number;
  height: number;
  layout: number;
  bitDepth: number;
  fullRange: boolean;
  matrix: number;
}

/** Decodes one AV1 item on `context`; the module frees the copy of its data. */
function decodeItem(module: AvifModule, context: number, data: Uint8Array, scratch: number): Picture {
  const { exports } = module;
  const pointer = exports.av1_decode(context, module.copyIn(data), data.byteLength, scratch);
  if (!pointer) throw new CodecError('avif decoder', module.string(exports.av1_error()));
  const [width, height, layout, bitDepth, range, matrix] = Array.from(
    new Int32Array(exports.memory.buffer, scratch, 8),
  ) as number[];
  return { pointer, width: width!, height: height!, layout: layout!, bitDepth: bitDepth!, fullRange: range === 1, matrix: matrix! };
}

/**
 * Decodes `layout` row of tiles by row of tiles, handing each strip of RGBA rows to `onRows` (a view into the
 * module's memory, valid during the call) until it returns false or the image is done.
 */
function decodeWith(module: AvifModule, bytes: Uint8Array, layout: Layout, onRows: RowConsumer): void {
  const { exports } = module;
  const { width, height, colour, alpha } = layout;
  const stride = width * 4;
  const stripBytes = Math.max(STRIP_BYTES, stride);
  const live: number[] = [];
  const contexts: number[] = [];
  const scratch = exports.malloc(8 * 4);
  const strip = exports.malloc(stripBytes);
  try {
    if (!scratch || !strip) throw new CodecError('avif decoder', 'out of memory');
    const open = (plane: Plane) => {
      const context = exports.av1_open(Math.min(MAX_FRAME_PIXELS, plane.tileWidth * plane.tileHeight));
      if (!context) throw new CodecError('avif decoder', module.string(exports.av1_error()));
      contexts.push(context);
      return context;
    };
    const colourContext = open(colour);
    const alphaContext = alpha ? open(alpha) : 0;
    if (alpha && (alpha.rows !== colour.rows || alpha.columns !== colour.columns)) {
      throw new CodecError('avif decoder', 'the alpha grid is laid out differently from the colour grid');
    }
    let tileWidth = 0;
    let tileHeight = 0;
    let y = 0;
    for (let row = 0; row < colour.rows && y < height; row++) {
      const pictures: Picture[] = [];
      const alphas: Picture[] = [];
      for (let column = 0; column < colour.columns; column++) {
        const index = row * colour.columns + column;
        const picture = decodeItem(module, colourContext, itemData(bytes, colour.tiles[index]!, fail), scratch);
        live.push(picture.pointer);
        pictures.push(picture);
        if (alpha) {
          const plane = decodeItem(module, alphaContext, itemData(bytes, alpha.tiles[index]!, fail), scratch);
          live.push(plane.pointer);
          alphas.push(plane);
        }
      }
      if (row === 0) {
        tileWidth = pictures[0]!.width;
        tileHeight = pictures[0]!.height;
        if (tileWidth * colour.columns < width || tileHeight * colour.rows < height) {
          throw new CodecError('avif decoder', `its ${tileWidth}×${tileHeight} tiles do not cover ${width}×${height}`);
        }
      }
      for (const p of [...pictures, ...alphas]) {
        if (p.width !== tileWidth || p.height !== tileHeight) {
          throw new CodecError('avif decoder', `a tile is ${p.width}×${p.height}, the first ${tileWidth}×${tileHeight}`);
        }
      }
      const first = pictures[0]!;
      const matrix = yuvMatrix(layout.matrix ?? first.matrix);
      const flags =
        ((layout.fullRange ?? first.fullRange) ? COLOUR_FULL_RANGE : 0) |
        (alphas[0]?.fullRange ? ALPHA_FULL_RANGE : 0) |
        (layout.premultiplied ? ALPHA_PREMULTIPLIED : 0);
      const rowsHere = Math.min(tileHeight, height - y);
      const stripRows = Math.max(1, Math.floor(stripBytes / stride));
      for (let top = 0; top < rowsHere; top += stripRows) {
        const count = Math.min(stripRows, rowsHere - top);
        pictures.forEach((picture, column) => {
          const x = column * tileWidth;
          const span = Math.min(tileWidth, width - x);
          if (span <= 0) return;
          const alphaPicture = alphas[column]?.pointer ?? 0;
          const x4 = strip + x * 4;
          if (exports.avif_rows(picture.pointer, alphaPicture, top, count, 0, span, x4, stride, matrix.kind, matrix.kr, matrix.kb, flags) !== 0) {
            throw new CodecError('avif decoder', module.string(exports.av1_error()));
          }
        });
        if (onRows(new Uint8Array(exports.memory.buffer, strip, count * stride), count) === false) return;
      }
      y += rowsHere;
      for (const p of [...pictures, ...alphas]) exports.av1_release(p.pointer);
      live.length = 0;
    }
  } finally {
    for (const pointer of live) exports.av1_release(pointer);
    for (const context of contexts) exports.av1_close(context);
    if (strip) exports.free(strip);
    if (scratch) exports.free(scratch);
  }
}

const boot = () => Promise.resolve(instantiateStandalone<AvifExports>('edgepixAvif'));

function rowSource(bytes: Uint8Array, info: ImageInfo, layout: Layout): FrameSource {
  return {
    width: info.width,
    height: info.height,
    hasAlpha: layout.alpha !== undefined,
    alphaUnchecked: layout.alpha !== undefined,
    async read(onRows) {
      await codecCall('avif decoder', () =>
        withInstance('edgepixAvif', boot, (module) => {
          decodeWith(module, bytes, layout, onRows);
          return true;
        }),
      );
    },
  };
}

export const dav1dDecoder: Decoder = {
  format: 'avif',
  open(bytes, info) {
    return rowSource(bytes, info, checkBudget(bytes, info));
  },
  async decode(bytes, info) {
    return materialize(rowSource(bytes, info, checkBudget(bytes, info)));
  },
};
