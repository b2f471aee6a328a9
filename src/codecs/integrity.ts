/**
 * Checks that decoders skip. libjpeg fills a truncated JPEG with grey and only warns; the PNG decoder does not
 * verify chunk CRCs. Either way a damaged original would be served (and cached for a year) as if it were
 * whole, so the adapters refuse it first. Both checks are linear scans, cheap next to decoding.
 */
import { crc32 } from './crc32';
import { CodecError } from './errors';

/** A whole JPEG ends with EOI (FF D9); writers may append a little padding or trailing data after it. */
export function assertJpegComplete(bytes: Uint8Array): void {
  const searchFrom = Math.max(2, bytes.length - 64 * 1024);
  for (let i = bytes.length - 2; i >= searchFrom; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return;
  }
  throw new CodecError('jpeg decoder', 'the file is truncated (no end-of-image marker)');
}

/** Every chunk's CRC matches and the file reaches IEND. */
export function assertPngChunksIntact(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const dataEnd = offset + 8 + length;
    if (dataEnd + 4 > bytes.length) break;
    const type = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!, bytes[offset + 6]!, bytes[offset + 7]!);
    if (crc32(bytes, offset + 4, dataEnd) !== view.getUint32(dataEnd)) {
      throw new CodecError('png decoder', `the ${type} chunk is corrupt (CRC mismatch)`);
    }
    if (type === 'IEND') return;
    offset = dataEnd + 4;
  }
  throw new CodecError('png decoder', 'the file is truncated (no IEND chunk)');
}
