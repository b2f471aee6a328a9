/**
 * HEIC decoder over our libde265 module (wasm/heic/). The container is read here (heic-layout.ts); the module
 * decodes one coded HEVC image per call into an RGBA strip of its memory. An iPhone photo is a grid of 512×512
 * tiles: each row of tiles is decoded into a strip the image's width and one tile high, handed on as rows (a
 * FrameSource, like the JPEG and PNG decoders'), and the strip is reused for the next row, so the module holds
 * one row of tiles and one tile's decoder state, never the image (a 12 MP photo: an 8 MB strip). A HEIC that is
 * one image (not a grid) is decoded whole into the strip, refused from its header when that would not fit.
 */
import type { FrameSource, RowConsumer } from '../image/frame-source';
import { materialize } from '../image/frame-source';
import { CodecError, codecCall } from './errors';
import { type CodedImage, type HeicLayout, heicLayout, isHeicGrid, type TiledPlane } from './heic-layout';
import type { Decoder, ImageInfo } from './types';
import { withInstance } from './wasm/instances';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from './wasm/standalone';

interface HeicExports extends StandaloneExports {
  heic_error(): number;
  heic_decode(...args: number[]): number;
}
type HeicModule = StandaloneModule<HeicExports>;

/**
 * What one decode may hold in the module: 96 MB, as for a JPEG. A grid needs its strip and a tile's working
 * memory (a 50 MP photo: 33 MB); a single image needs its RGBA and libde265's planes, so single images up to
 * about 8 MP decode.
 */
export const HEIC_DECODE_BUDGET_BYTES = 96e6;
/**
 * libde265's memory per pixel of the coded image being decoded (its planes, 1.5 bytes per pixel at 4:2:0 and
 * 8 bits, twice that deeper, and its per-block metadata), and its fixed memory, measured with
 * `npm run bench:memory` and rounded up.
 */
const WORKING_BYTES_PER_PIXEL = 5;
const WORKING_FIXED_BYTES = 2e6;
/** The RGBA a single (not grid) image is decoded into, before it is handed on. */
const SINGLE_BYTES_PER_PIXEL = 4 + WORKING_BYTES_PER_PIXEL;

/**
 * What the decode budget (memory-budget.ts) counts for a HEIC beyond the frame JS gets: nothing for an upright
 * grid, which streams into the resizer; a turned grid (irot) is written into an upright frame as its rows come
 * (src/image/orient.ts, orientRows), beside the module's strip (a 512-row strip and a tile: ~16 MB at 48 MP);
 * a single image is decoded whole in the module.
 */
export function heicDecodeCost(info: ImageInfo, bytes: Uint8Array): { wasmBytesPerPixel: number; fixedBytes: number } | null {
  if (!isHeicGrid(bytes)) return { wasmBytesPerPixel: SINGLE_BYTES_PER_PIXEL, fixedBytes: WORKING_FIXED_BYTES };
  return info.orientation === 1 ? null : { wasmBytesPerPixel: 0, fixedBytes: 16e6 };
}

/** Peak module memory of decoding `layout`: one strip of rows (a tile high, or the image), one tile's decode. */
export function heicDecodeMemory(layout: HeicLayout): number {
  const { tileWidth, tileHeight } = layout.colour;
  const stripRows = layout.grid ? tileHeight : layout.height;
  const largestTile = Math.max(...layout.colour.tiles.map((t) => t.data.length + t.config.length));
  return layout.width * stripRows * 4 + tileWidth * tileHeight * WORKING_BYTES_PER_PIXEL + WORKING_FIXED_BYTES + largestTile;
}

const mb = (bytes: number) => `${Math.ceil(bytes / 1e6)} MB`;

function checkBudget(layout: HeicLayout): void {
  const needed = heicDecodeMemory(layout);
  if (needed <= HEIC_DECODE_BUDGET_BYTES) return;
  throw new CodecError(
    'heic decoder',
    `this ${layout.width}×${layout.height} HEIC needs about ${mb(needed)} of memory to decode, ` +
      `over the ${mb(HEIC_DECODE_BUDGET_BYTES)} a decode may use` +
      (layout.grid ? '' : ' (a HEIC that is not tiled is decoded whole)'),
  );
}

/** INFO_* of wasm/heic/heic.c. */
const INFO_FIELDS = 6;

/**
 * Decodes the coded images of one row of tiles of `plane` into the strip (`width` × `rows` RGBA at `strip`):
 * colour first, then the alpha plane's A bytes.
 */
function decodeRow(module: HeicModule, layout: HeicLayout, row: number, strip: number, rows: number, info: number): void {
  const planes: [TiledPlane, boolean][] = [[layout.colour, false]];
  if (layout.alpha) planes.push([layout.alpha, true]);
  for (const [plane, alpha] of planes) {
    for (let column = 0; column < plane.columns; column++) {
      const tile = plane.tiles[row * plane.columns + column]!;
      decodeOne(module, tile, [strip, layout.width, rows, column * plane.tileWidth, 0], [layout.matrix, layout.fullRange, alpha ? 1 : 0], info);
      const [width, height] = new Int32Array(module.exports.memory.buffer, info, 2) as unknown as [number, number];
      if (width !== plane.tileWidth || height !== plane.tileHeight) {
        throw new CodecError('heic decoder', `a ${plane.tileWidth}×${plane.tileHeight} tile decodes as ${width}×${height}`);
      }
    }
  }
}

function decodeOne(module: HeicModule, image: CodedImage, target: number[], colour: number[], info: number): void {
  const { exports } = module;
  const config = module.copyIn(image.config);
  let data = 0;
  try {
    data = module.copyIn(image.data);
    const status = exports.heic_decode(config, image.config.length, data, image.data.length, ...target, ...colour, info);
    if (status !== 0) throw new CodecError('heic decoder', module.string(exports.heic_error()));
  } finally {
    exports.free(config);
    if (data) exports.free(data);
  }
}

function boot(): Promise<HeicModule> {
  return Promise.resolve(instantiateStandalone<HeicExports>('edgepixHeic'));
}

/** The image's rows, a row of tiles (or the whole single image) at a time, from the module's strip. */
function rowSource(layout: HeicLayout, info: ImageInfo): FrameSource {
  return {
    width: layout.width,
    height: layout.height,
    hasAlpha: info.hasAlpha,
    alphaUnchecked: info.hasAlpha,
    read(onRows: RowConsumer) {
      return codecCall('heic decoder', () =>
        withInstance('edgepixHeic', boot, (module) => {
          const { exports } = module;
          const bandRows = layout.grid ? layout.colour.tileHeight : layout.height;
          const strip = exports.malloc(layout.width * bandRows * 4);
          const scratch = exports.malloc(INFO_FIELDS * 4);
          try {
            if (!strip || !scratch) throw new CodecError('heic decoder', 'out of memory');
            for (let row = 0, y = 0; y < layout.height; row++, y += bandRows) {
              const rows = Math.min(bandRows, layout.height - y);
              decodeRow(module, layout, row, strip, rows, scratch);
              // A fresh view: memory may have grown during the decode.
              if (onRows(new Uint8Array(exports.memory.buffer, strip, layout.width * rows * 4), rows) === false) break;
            }
            return true;
          } finally {
            if (strip) exports.free(strip);
            if (scratch) exports.free(scratch);
          }
        }),
      ).then(() => undefined);
    },
  };
}

function open(bytes: Uint8Array, info: ImageInfo): FrameSource {
  const layout = heicLayout(bytes, info);
  checkBudget(layout);
  return rowSource(layout, info);
}

export const libde265Decoder: Decoder = {
  format: 'heic',
  open,
  decode: async (bytes, info) => materialize(open(bytes, info)),
};
