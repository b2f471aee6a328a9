/**
 * `md-true`: the original's EXIF, for the encoder to carry into the output (EncodeOptions.metadata). The pixels
 * were already turned upright, so the copied orientation tag is reset to 1 — otherwise viewers would rotate the
 * image a second time.
 */
import { ascii, need, startsWith, u16be, u32be, u8 } from './probe/bytes';
import { boxesIn, findPart, jpegSegments, pngChunks, riffChunks, type Segment, tiffIfd0 } from './probe/containers';
import { readOr } from './probe/errors';
import { EXIF_PREFIX, TAG_ORIENTATION } from './probe/exif';
import { ilocEntries } from './probe/iloc';
import type { ImageFormat } from './types';

const APP1 = 0xe1;

/** The TIFF block of the original's EXIF (JPEG APP1, PNG eXIf, WebP EXIF, AVIF Exif item), a copy with orientation 1. */
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
  if (format === 'avif') return avifExif(b);
  return undefined;
}

/** The data of an AVIF's 'Exif' item (stored in the file, one extent), after its TIFF header offset field. */
function avifExif(b: Uint8Array): Uint8Array | undefined {
  const meta = boxesIn(b, 0, b.length).find((box) => box.type === 'meta');
  const inMeta = meta ? boxesIn(b, meta.data + 4, meta.end) : [];
  const iinf = inMeta.find((box) => box.type === 'iinf');
  const iloc = inMeta.find((box) => box.type === 'iloc');
  if (!iinf || !iloc) return undefined;
  const infe = boxesIn(b, iinf.data + (u8(b, iinf.data) === 0 ? 6 : 8), iinf.end).find((box) => {
    const version = u8(b, box.data, box.end);
    return box.type === 'infe' && version >= 2 && ascii(b, box.data + (version === 2 ? 8 : 10), 4, box.end) === 'Exif';
  });
  if (!infe) return undefined;
  const id = u8(b, infe.data) === 2 ? u16be(b, infe.data + 4) : u32be(b, infe.data + 4);
  const entry = ilocEntries(b, iloc).find((e) => e.id === id);
  const extent = entry?.method === 0 && entry.extents.length === 1 ? entry.extents[0]! : undefined;
  if (!entry || !extent) return undefined;
  const start = entry.base + extent.offset;
  need(b, start, extent.length);
  const data = b.subarray(start, start + extent.length);
  return data.subarray(4 + u32be(data, 0));
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
