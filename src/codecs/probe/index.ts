// Header probe: learn an image's format, size, orientation, alpha and frame count from its first bytes, without
// decoding. It runs before any decode, so the pipeline can refuse decompression bombs by their declared size, and it
// runs in workerd: pure TypeScript over a Uint8Array, no Node APIs, every read bounds-checked.
import type { ImageFormat, ImageInfo } from '../types';
import { ProbeError } from './errors';
import { startsWith } from './bytes';
import { hasAvifBrand, probeAvif } from './avif';
import { probeGif } from './gif';
import { isHeic } from './heif';
import { probeHeic } from './heic';
import { probeJpeg } from './jpeg';
import { probePng } from './png';
import { probeSvg, svgRootTag } from './svg';
import { probeWebp } from './webp';

export { ProbeError } from './errors';
export type { ProbeReason } from './errors';

const PROBES: Record<ImageFormat, (bytes: Uint8Array) => ImageInfo> = {
  jpeg: probeJpeg,
  png: probePng,
  webp: probeWebp,
  avif: probeAvif,
  gif: probeGif,
  heic: probeHeic,
  svg: probeSvg,
};

/**
 * The format named by the magic bytes, or undefined. Looks at nothing else, so a match says nothing about whether
 * the rest of the header is sound (PNG is matched on "\x89PNG" alone; probe() checks the full signature). The one
 * exception is HEIF with only the generic mif1/msf1 brand, whose primary item's type says whether it is HEIC.
 */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif'; // "GIF8"
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (hasAvifBrand(bytes)) return 'avif';
  if (isHeic(bytes)) return 'heic'; // after AVIF: both may carry the generic mif1 brand
  return undefined;
}

/**
 * Reads the header of a JPEG, PNG, WebP, AVIF, GIF or HEIC, or the root element of an SVG (text, so it is
 * recognised by its `<svg` root rather than by magic bytes). Dimensions are as stored (before orientation).
 * Throws only ProbeError: 'unsupported format', 'truncated' or 'malformed'.
 */
export function probe(bytes: Uint8Array): ImageInfo {
  const format = sniffFormat(bytes) ?? (svgRootTag(bytes) !== undefined ? 'svg' : undefined);
  if (!format) throw new ProbeError('unsupported format');
  try {
    return PROBES[format](bytes);
  } catch (e) {
    if (e instanceof ProbeError) e.format = format;
    throw e;
  }
}

/** The image's size as displayed: EXIF orientations 5–8 turn it a quarter, swapping the stored width and height. */
export function uprightSize(info: Pick<ImageInfo, 'width' | 'height' | 'orientation'>): { width: number; height: number } {
  return info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
}
