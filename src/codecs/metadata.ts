/**
 * `md-true`: the original's EXIF, for the encoder to carry into the output (EncodeOptions.metadata). The pixels
 * were already turned upright, so the copied orientation tag is reset to 1 — otherwise viewers would rotate the
 * image a second time.
 */
import { ascii, need, startsWith } from './probe/bytes';
import { findPart, jpegSegments, pngChunks, riffChunks, type Segment, tiffIfd0 } from './probe/containers';
import { readOr } from './probe/errors';
import { EXIF_PREFIX, TAG_ORIENTATION } from './probe/exif';
import type { ImageFormat } from './types';

const APP1 = 0xe1;

/** The TIFF block of the original's EXIF (JPEG APP1, PNG eXIf, WebP EXIF), a copy with orientation 1. */
export function readExif(source: Uint8Array, format: ImageFormat): Uint8Array | undefined {
  const found = readOr(() => exifBlock(source, format), undefined);
  if (!found || found.length < 8) return undefined;
  const tiff = found.slice(startsWith(found, EXIF_PREFIX) ? EXIF_PREFIX.length : 0);
  resetOrientation(tiff);
  return tiff;
}

function exifBlock(b: Uint8Array, format: ImageFormat): Uint8Array | undefined {
  if (format === 'jpeg') return findExifSegment(b)?.subarray(4);
  if (format === 'png') {
    const chunk = findPart(pngChunks(b), (c) => c.type === 'eXIf');
    return chunk && b.subarray(chunk.data, chunk.end);
  }
  if (format === 'webp') {
    const chunk = findPart(riffChunks(b, 12, b.length), (c) => c.type === 'EXIF');
    return chunk && chunk.end <= b.length ? b.subarray(chunk.data, chunk.end) : undefined;
  }
  return undefined;
}

/** The whole APP1 "Exif\0\0" segment (marker, length and payload) of a JPEG, if it has one. */
export function findExifSegment(jpeg: Uint8Array): Uint8Array | undefined {
  const isExif = (s: Segment) => s.type === APP1 && s.end - s.data >= 6 && ascii(jpeg, s.data, 4) === 'Exif';
  const segment = readOr(() => findPart(jpegSegments(jpeg), isExif), undefined);
  return segment && jpeg.subarray(segment.offset, segment.end);
}

/** Sets IFD0's orientation tag to 1 in a TIFF block, in place; leaves a broken block as it is. */
function resetOrientation(tiff: Uint8Array): void {
  readOr(() => {
    const ifd = tiffIfd0(tiff, 0, tiff.length);
    if (!ifd) return;
    for (const { tag, value } of ifd.entries) {
      if (tag !== TAG_ORIENTATION) continue;
      need(tiff, value, 4);
      tiff.set(ifd.littleEndian ? [1, 0] : [0, 1], value);
      return;
    }
  }, undefined);
}
