/**
 * What decoding a HEIC takes, read from its meta box (src/codecs/probe/heif.ts) before anything is decoded: the
 * coded HEVC images that make the picture (one, or a grid's tiles in raster order), each as its hvcC
 * configuration and its data, where they go, the alpha plane's images if there is one, and the colour matrix.
 * The decoder (libde265.ts) hands these to the module one at a time.
 */
import { CodecError } from './errors';
import {
  type HeifItem,
  type HeifMeta,
  alphaItemOf,
  colourOf,
  gridOf,
  hevcTiles,
  itemData,
  propertyOf,
  readHeifMeta,
  spatialExtent,
} from './probe/heif';

/** One HEVC image: hvcC's payload and the item's data (length-prefixed NAL units), views into the file. */
export interface CodedImage {
  config: Uint8Array;
  data: Uint8Array;
}

/** A plane (colour or alpha) as tiles: a single image is a 1×1 grid of a tile the image's size. */
export interface TiledPlane {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  tiles: CodedImage[];
}

export interface HeicLayout {
  width: number;
  height: number;
  /** A grid (decoded a row of tiles at a time), not one image (decoded whole). */
  grid: boolean;
  colour: TiledPlane;
  alpha?: TiledPlane;
  /** nclx matrix_coefficients and full_range_flag; -1 when the file has no nclx (the stream's VUI decides). */
  matrix: number;
  fullRange: number;
}

const fail = (reason: string) => new CodecError('heic decoder', reason);

export function heicLayout(bytes: Uint8Array, size: { width: number; height: number }): HeicLayout {
  const meta = readHeifMeta(bytes);
  const primary = meta.items.get(meta.primary)!; // the probe checked it
  const colour = tiledPlane(bytes, meta, primary, size);
  const alphaItem = alphaItemOf(bytes, meta, primary.id);
  const alpha = alphaItem && tiledPlane(bytes, meta, alphaItem, size);
  if (alpha && (alpha.rows !== colour.rows || alpha.tileHeight !== colour.tileHeight)) {
    throw fail('an alpha plane tiled differently from the image is not supported');
  }
  const nclx = colourOf(bytes, primary) ?? colourOf(bytes, hevcTiles(meta, primary)![0]!);
  return {
    ...size,
    grid: primary.type === 'grid',
    colour,
    ...(alpha ? { alpha } : {}),
    matrix: nclx?.matrix ?? -1,
    fullRange: nclx?.fullRange === undefined ? -1 : Number(nclx.fullRange),
  };
}

/** Whether the primary item is a grid (decoded in rows of tiles) rather than one image. Never throws. */
export function isHeicGrid(bytes: Uint8Array): boolean {
  try {
    const meta = readHeifMeta(bytes);
    return meta.items.get(meta.primary)?.type === 'grid';
  } catch {
    return false;
  }
}

function tiledPlane(bytes: Uint8Array, meta: HeifMeta, item: HeifItem, size: { width: number; height: number }): TiledPlane {
  const items = hevcTiles(meta, item);
  if (!items) throw fail(`the '${item.type}' item is not HEVC`);
  const first = items[0]!;
  const [tileWidth, tileHeight] = item.type === 'grid' ? dimensions(bytes, first) : [size.width, size.height];
  const [columns, rows] = item.type === 'grid' ? gridShape(bytes, item) : [1, 1];
  if (items.length !== columns * rows) throw fail(`the grid has ${columns}×${rows} cells but ${items.length} tiles`);
  if (columns * tileWidth < size.width || rows * tileHeight < size.height) {
    throw fail(`${columns}×${rows} tiles of ${tileWidth}×${tileHeight} do not cover ${size.width}×${size.height}`);
  }
  const tiles = items.map((tile) => {
    if (item.type === 'grid') {
      const [w, h] = dimensions(bytes, tile);
      if (w !== tileWidth || h !== tileHeight) throw fail('the grid\'s tiles differ in size');
    }
    return codedImage(bytes, tile);
  });
  return { columns, rows, tileWidth, tileHeight, tiles };
}

function dimensions(bytes: Uint8Array, item: HeifItem): [number, number] {
  const ispe = spatialExtent(bytes, item);
  if (!ispe) throw fail(`item ${item.id} has no ispe`);
  return [ispe.width, ispe.height];
}

function gridShape(bytes: Uint8Array, grid: HeifItem): [number, number] {
  const { columns, rows } = gridOf(bytes, grid, fail);
  return [columns, rows];
}

function codedImage(bytes: Uint8Array, item: HeifItem): CodedImage {
  const hvcC = propertyOf(item, 'hvcC');
  if (!hvcC) throw fail(`item ${item.id} has no hvcC`);
  return { config: bytes.subarray(hvcC.data, hvcC.end), data: itemData(bytes, item, fail) };
}
