/**
 * Little CMS over our module (wasm/lcms/): transforms from an image's colour space to sRGB, run in place over
 * rows of 4 bytes a pixel (RGBA, CMYK ink amounts, or grey in R). The module holds the transform and one strip
 * of pixels; the rows stay with the caller.
 */
import { CodecError } from '../errors';
import { withInstance } from '../wasm/instances';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from '../wasm/standalone';
import type { PrimariesSpace } from './code-points';

interface LcmsExports extends StandaloneExports {
  lcms_error(): number;
  lcms_open_icc(icc: number, length: number, input: number): number;
  lcms_open_primaries(params: number): number;
  lcms_apply(transform: number, pixels: number, count: number): void;
  lcms_close(transform: number): void;
}

export type RowKind = 'rgba' | 'cmyk' | 'grey';
const INPUT: Record<RowKind, number> = { rgba: 0, cmyk: 1, grey: 2 };

/** Where the source profile comes from: an ICC profile, or primaries and a curve. */
export type SourceSpace = { icc: Uint8Array; rows: RowKind } | { space: PrimariesSpace };

/** Pixels converted per call: the module's strip (1 MB). */
const CHUNK_PIXELS = 1 << 18;

const ENOSYS = 52;
// lcms links in its save-profile-to-file code, which imports these; nothing here calls them.
const boot = async () =>
  instantiateStandalone<LcmsExports>('edgepixLcms', { __syscall_rmdir: () => -ENOSYS, __syscall_unlink: () => -ENOSYS });

/** Converts pixels in place, as many calls as it takes. */
export type Convert = (pixels: Uint8Array) => void;

/**
 * Runs `work` with a converter from `source` to sRGB, or with undefined when lcms cannot use the profile (a
 * damaged or unusable profile is ignored, as viewers do: the pixels are then shown as they are).
 */
export async function withSrgbTransform<R>(source: SourceSpace, work: (convert: Convert | undefined) => Promise<R>): Promise<R> {
  return withInstance('edgepixLcms', boot, async (module) => {
    const transform = open(module, source);
    if (!transform) return work(undefined);
    const strip = module.exports.malloc(CHUNK_PIXELS * 4);
    try {
      if (!strip) throw new CodecError('colour conversion', 'out of memory');
      return await work((pixels) => convert(module, transform, strip, pixels));
    } finally {
      module.exports.free(strip);
      module.exports.lcms_close(transform);
    }
  });
}

function open(module: StandaloneModule<LcmsExports>, source: SourceSpace): number {
  const { exports } = module;
  if ('icc' in source) {
    const icc = module.copyIn(source.icc);
    try {
      return exports.lcms_open_icc(icc, source.icc.length, INPUT[source.rows]);
    } finally {
      exports.free(icc);
    }
  }
  const { chromaticities, curve } = source.space;
  const values = [...chromaticities, curve.type, ...curve.params];
  const params = exports.malloc(values.length * 8);
  try {
    new Float64Array(exports.memory.buffer, params, values.length).set(values);
    return exports.lcms_open_primaries(params);
  } finally {
    exports.free(params);
  }
}

function convert(module: StandaloneModule<LcmsExports>, transform: number, strip: number, pixels: Uint8Array): void {
  for (let at = 0; at < pixels.length; at += CHUNK_PIXELS * 4) {
    const part = pixels.subarray(at, Math.min(pixels.length, at + CHUNK_PIXELS * 4));
    // Fresh views each time: memory may have grown.
    new Uint8Array(module.exports.memory.buffer, strip, part.length).set(part);
    module.exports.lcms_apply(transform, strip, part.length / 4);
    part.set(new Uint8Array(module.exports.memory.buffer, strip, part.length));
  }
}
