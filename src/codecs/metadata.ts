/**
 * `md-true` for JPEG output: carries the original's EXIF (APP1) segment into the encoded file. The pixels
 * were already turned upright, so the copied orientation tag is reset to 1 — otherwise viewers would rotate
 * the image a second time.
 */
import { ascii, need } from './probe/bytes';
import { findPart, jpegSegments, type Segment, tiffIfd0 } from './probe/containers';
import { readOr } from './probe/errors';
import { TAG_ORIENTATION } from './probe/exif';

const APP1 = 0xe1;

export function keepExif(source: Uint8Array, encoded: Uint8Array): Uint8Array {
  const segment = findExifSegment(source);
  if (!segment) return encoded;
  const exif = segment.slice();
  resetOrientation(exif);
  const out = new Uint8Array(encoded.length + exif.length);
  out.set(encoded.subarray(0, 2), 0); // SOI
  out.set(exif, 2);
  out.set(encoded.subarray(2), 2 + exif.length);
  return out;
}

/** The whole APP1 "Exif\0\0" segment (marker, length and payload) of a JPEG, if it has one. */
export function findExifSegment(jpeg: Uint8Array): Uint8Array | undefined {
  const isExif = (s: Segment) => s.type === APP1 && s.end - s.data >= 6 && ascii(jpeg, s.data, 4) === 'Exif';
  const segment = readOr(() => findPart(jpegSegments(jpeg), isExif), undefined);
  return segment && jpeg.subarray(segment.offset, segment.end);
}

/** Sets IFD0's orientation tag to 1 inside an APP1 segment, in place; leaves a broken TIFF block as it is. */
function resetOrientation(segment: Uint8Array): void {
  const tiff = 10; // FF E1, length (2), "Exif\0\0"
  readOr(() => {
    const ifd = tiffIfd0(segment, tiff, segment.length);
    if (!ifd) return;
    for (const { tag, value } of ifd.entries) {
      if (tag !== TAG_ORIENTATION) continue;
      need(segment, value, 4);
      segment.set(ifd.littleEndian ? [1, 0] : [0, 1], value);
      return;
    }
  }, undefined);
}
