/**
 * EncodeOptions.metadata for WebP: ICCP and EXIF chunks in the extended (VP8X) layout. A simple file (a lone
 * VP8 or VP8L chunk, as libwebp writes without metadata) gets a VP8X header first, whose flags say what
 * follows; ICCP goes right after VP8X, EXIF after the image data, as the container specification orders them.
 */
import { probeWebp } from '../probe/webp';
import { riffChunks } from '../probe/containers';
import { ascii, concat } from './bytes';
import type { Metadata } from './jpeg-png';

const FLAG_ICC = 0x20;
const FLAG_ALPHA = 0x10;
const FLAG_EXIF = 0x08;

function riffChunk(type: string, data: Uint8Array): Uint8Array {
  const padded = new Uint8Array(8 + data.length + (data.length & 1));
  new DataView(padded.buffer).setUint32(4, data.length, true);
  padded.set(ascii(type), 0);
  padded.set(data, 8);
  return padded;
}

export function webpWithMetadata(webp: Uint8Array, { icc, exif }: Metadata): Uint8Array {
  if (!icc && !exif) return webp;
  const info = probeWebp(webp);
  const chunks = [...riffChunks(webp, 12, webp.length)];
  const first = chunks[0]!;
  let flags = (icc ? FLAG_ICC : 0) | (exif ? FLAG_EXIF : 0);
  let body: Uint8Array[];
  if (first.type === 'VP8X') {
    flags |= webp[first.data]!;
    body = chunks.slice(1).map((c) => webp.subarray(c.offset, c.end + ((c.end - c.data) & 1)));
  } else {
    if (info.hasAlpha) flags |= FLAG_ALPHA;
    body = [webp.subarray(first.offset, webp.length)];
  }
  const vp8x = new Uint8Array(10);
  vp8x[0] = flags;
  const w = info.width - 1;
  const h = info.height - 1;
  vp8x.set([w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff, h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff], 4);
  const parts = [riffChunk('VP8X', vp8x), ...(icc ? [riffChunk('ICCP', icc)] : []), ...body, ...(exif ? [riffChunk('EXIF', exif)] : [])];
  const payload = concat([ascii('WEBP'), ...parts]);
  const header = new Uint8Array(8);
  header.set(ascii('RIFF'));
  new DataView(header.buffer).setUint32(4, payload.length, true);
  return concat([header, payload]);
}
