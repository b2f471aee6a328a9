/** When delivery serves a file as it is stored, without decoding it. */
import { MIME_TYPES } from '../codecs/types';

// SVG is read only to be rasterised for a transformation; untransformed, it is served as stored.
const IMAGE_TYPES = new Set<string>(Object.values(MIME_TYPES).filter((type) => type !== MIME_TYPES.svg));

/**
 * A stored type that is known not to be a raster image delivery reads (videos, PDFs, SVGs, documents): served as
 * stored, streamed, in ranges. An unknown or generic type (`application/octet-stream`) is probed instead.
 */
export function isOtherFile(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]!.trim().toLowerCase();
  return !!type && type !== 'application/octet-stream' && !IMAGE_TYPES.has(type);
}
