/**
 * `md-true` for JPEG output: carries the original's EXIF (APP1) segment into the encoded file. The pixels
 * were already turned upright, so the copied orientation tag is reset to 1 — otherwise viewers would rotate
 * the image a second time.
 */
const SOI = 0xd8;
const APP1 = 0xe1;
const SOS = 0xda;

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
  if (jpeg[0] !== 0xff || jpeg[1] !== SOI) return undefined;
  let offset = 2;
  while (offset + 4 <= jpeg.length && jpeg[offset] === 0xff) {
    const marker = jpeg[offset + 1]!;
    if (marker === SOS) return undefined;
    const length = (jpeg[offset + 2]! << 8) | jpeg[offset + 3]!;
    const end = offset + 2 + length;
    if (length < 2 || end > jpeg.length) return undefined;
    const isExif =
      marker === APP1 && length >= 8 && String.fromCharCode(...jpeg.subarray(offset + 4, offset + 8)) === 'Exif';
    if (isExif) return jpeg.subarray(offset, end);
    offset = end;
  }
  return undefined;
}

/** Sets IFD0's orientation tag (0x0112) to 1 inside an APP1 segment, in place. */
function resetOrientation(segment: Uint8Array): void {
  const tiff = 10; // FF E1, length (2), "Exif\0\0"
  if (segment.length < tiff + 8) return;
  const view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
  const little = view.getUint16(tiff) === 0x4949;
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > segment.length) return;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > segment.length) return;
    if (view.getUint16(entry, little) === 0x0112) {
      view.setUint16(entry + 8, 1, little);
      return;
    }
  }
}
