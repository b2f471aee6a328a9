/** When delivery serves a file as it is stored, without decoding it. */
import { MIME_TYPES } from '../codecs/types';

const IMAGE_TYPES = new Set<string>(Object.values(MIME_TYPES));

/**
 * A stored type that is known not to be an image delivery reads (videos, PDFs, SVGs, documents): served as stored,
 * streamed, in ranges. An unknown or generic type (`application/octet-stream`) is probed instead.
 */
export function isOtherFile(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]!.trim().toLowerCase();
  return !!type && type !== 'application/octet-stream' && !IMAGE_TYPES.has(type);
}
