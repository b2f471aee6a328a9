/** Whether an image embeds an ICC colour profile, from the carrier each format has for one. */
import { ascii } from '../../codecs/probe/bytes';
import { boxAt, findPart, jpegSegments, pngChunks, riffChunks } from '../../codecs/probe/containers';
import { readOr } from '../../codecs/probe/errors';
import type { ImageFormat } from '../../codecs/types';

const APP2 = 0xe2;

/** Whether the image embeds an ICC profile: JPEG APP2 ICC_PROFILE, PNG iCCP, WebP ICCP, AVIF and HEIC colr 'prof'/'rICC'. */
export function hasColorProfile(bytes: Uint8Array, format: ImageFormat): boolean {
  const found = <P>(parts: Iterable<P>, test: (part: P) => boolean) => findPart(parts, test) !== undefined;
  return readOr(() => {
    switch (format) {
      case 'jpeg':
        return found(jpegSegments(bytes), (s) => s.type === APP2 && s.end - s.data > 12 && ascii(bytes, s.data, 12) === 'ICC_PROFILE\0');
      case 'png':
        return found(pngChunks(bytes), (c) => c.type === 'iCCP');
      case 'webp':
        return found(riffChunks(bytes, 12, bytes.length), (c) => c.type === 'ICCP' && c.end <= bytes.length);
      case 'avif':
      case 'heic':
        return avifHasIcc(bytes);
      case 'gif':
      case 'svg':
        return false;
    }
  }, false);
}

/** Whether `b` holds the ASCII text `text` at `o`. */
const textAt = (b: Uint8Array, o: number, text: string) => [...text].every((c, k) => b[o + k] === c.charCodeAt(0));

/** Bytes of a meta box scanned for colr: item properties are small, a huge declared meta box is not walked whole. */
const MAX_META_SCAN = 1 << 20;

/** Looks for a colr property carrying an ICC profile inside the top-level meta box (item properties live there). */
function avifHasIcc(b: Uint8Array): boolean {
  for (let i = 0; i + 8 <= b.length; ) {
    const box = boxAt(b, i, b.length);
    if (box.type === 'meta') {
      const end = Math.min(box.end, b.length, i + MAX_META_SCAN);
      for (let j = box.data; j + 8 <= end; j++) {
        if (b[j] === 0x63 && textAt(b, j, 'colr') && (textAt(b, j + 4, 'prof') || textAt(b, j + 4, 'rICC'))) return true;
      }
      return false;
    }
    i = box.end;
  }
  return false;
}
