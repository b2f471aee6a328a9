/**
 * ImageKit's Metadata object (`GET /v1/files/:id/metadata`, `GET /v1/metadata?url=`) and the flat
 * `embeddedMetadata` of a file, read from headers: dimensions and transparency from the probe, and one module per
 * further job: EXIF through exifr (exif.ts, embedded.ts), colour profile presence (icc.ts), density (density.ts),
 * quality from the JPEG quantisation tables (jpeg-quality.ts) and the perceptual hash, the only job that decodes
 * pixels (phash.ts). Container formats are walked by codecs/probe/containers.ts.
 *
 * Values are JSON-safe and bounded. No Node APIs here: these modules run inside workerd.
 */
import { probe, ProbeError } from '../../codecs/probe';
import type { ImageInfo } from '../../codecs/types';
import { HttpError } from '../../http/errors';
import { FORMAT_NAMES } from '../sniff';
import { density } from './density';
import { type ExifGroups, exifGroups, METADATA_OPTIONS, readTags } from './exif';
import { hasColorProfile } from './icc';
import { jpegQuality } from './jpeg-quality';
import { perceptualHash } from './phash';

export { embeddedMetadata, EMBEDDED_MAX_KEYS } from './embedded';
export { hasColorProfile } from './icc';
export { jpegQuality } from './jpeg-quality';
export { hashFromLuma, pHashDistance } from './phash';

export interface FileMetadata {
  height: number;
  width: number;
  size: number;
  /** ImageKit's names: jpg, png, webp, avif, gif. */
  format: string;
  hasColorProfile: boolean;
  /** JPEG: estimated IJG quality 1–100; 0 for other formats (not measurable from the header). */
  quality: number;
  /** Dots per inch; 72 when the file does not say. */
  density: number;
  hasTransparency: boolean;
  /** 64-bit DCT perceptual hash as 16 hex digits; "" when it could not be computed cheaply. */
  pHash: string;
  exif: ExifGroups;
}

/** The Metadata object of an image. A file that is not a readable image is a 400 (unknown format) or 422 (damaged). */
export async function describeMetadata(bytes: Uint8Array): Promise<FileMetadata> {
  let info: ImageInfo;
  try {
    info = probe(bytes);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    if (error.reason === 'unsupported format') {
      throw new HttpError(400, 'The file is not an image whose metadata can be read', 'Metadata is available for JPEG, PNG, WebP, AVIF and GIF images.');
    }
    throw new HttpError(422, `The image is damaged: ${error.message}`, 'Upload the file again; its header could not be read.');
  }
  const tags = await readTags(bytes, info.format, METADATA_OPTIONS);
  return {
    height: info.height,
    width: info.width,
    size: bytes.byteLength,
    format: FORMAT_NAMES[info.format],
    hasColorProfile: hasColorProfile(bytes, info.format),
    quality: info.format === 'jpeg' ? (jpegQuality(bytes) ?? 0) : 0,
    density: density(bytes, info.format, tags),
    hasTransparency: info.hasAlpha,
    pHash: await perceptualHash(bytes, info),
    exif: exifGroups(tags),
  };
}
