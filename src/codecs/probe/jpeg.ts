// JPEG: walk the marker segments from SOI to the first SOS, taking size/precision/coding from SOFn and the
// orientation from the first APP1 "Exif" segment. Entropy-coded data is never touched.
import type { ImageInfo } from '../types';
import { ProbeError, malformed } from './errors';
import { need, startsWith, u16be, u8 } from './bytes';
import { EXIF_PREFIX, readTiffOrientation } from './exif';

const SOS = 0xda;
const EOI = 0xd9;
const APP1 = 0xe1;

/** SOF0–SOF15 minus the three codes in that range that are not frame headers: DHT (C4), JPG (C8), DAC (CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Progressive coding: SOF2 (Huffman), SOF6 (differential), SOF10 (arithmetic), SOF14 (differential arithmetic). */
const isProgressive = (m: number) => m === 0xc2 || m === 0xc6 || m === 0xca || m === 0xce;
/** Markers without a length field: TEM, RST0–7, SOI. */
const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd8);

export function probeJpeg(b: Uint8Array): ImageInfo {
  if (u8(b, 0) !== 0xff || u8(b, 1) !== 0xd8) throw malformed('jpeg: missing SOI');
  let frame: Omit<ImageInfo, 'orientation'> | undefined;
  let orientation: number | undefined;

  for (let i = 2; ; ) {
    // libjpeg skips stray bytes before a marker (with a warning) and so do we, so whatever it decodes also probes.
    // indexOf keeps a long run of garbage cheap.
    if (u8(b, i) !== 0xff) {
      const next = b.indexOf(0xff, i);
      if (next < 0) throw new ProbeError('truncated', 'jpeg: data ends before SOS');
      i = next;
    }
    const m = u8(b, i + 1);
    if (m === 0xff || m === 0x00) {
      i++; // fill byte, or a stuffed zero that can only be garbage outside a scan
      continue;
    }
    i += 2;
    if (isStandalone(m)) continue;
    if (m === EOI) throw malformed('jpeg: EOI before any scan');
    if (m === SOS) {
      if (!frame) throw malformed('jpeg: SOS before SOF');
      return { ...frame, orientation: orientation ?? 1 };
    }

    const len = u16be(b, i); // counts itself, not the marker
    if (len < 2) throw malformed(`jpeg: segment length ${len}`);
    const seg = i + 2;
    const end = i + len;
    need(b, i, len); // the whole segment must be present

    if (isSof(m)) {
      if (frame) throw malformed('jpeg: second SOF');
      const precision = u8(b, seg, end);
      const height = u16be(b, seg + 1, end);
      const width = u16be(b, seg + 3, end);
      const components = u8(b, seg + 5, end);
      need(b, seg + 6, components * 3, end); // id, sampling factors, quant table per component
      // Height 0 means "given later by DNL", which libjpeg doesn't support either.
      if (width === 0 || height === 0) throw malformed(`jpeg: SOF declares ${width}x${height}`);
      if (components === 0) throw malformed('jpeg: SOF has no components');
      if (precision < 2 || precision > 16) throw malformed(`jpeg: ${precision}-bit precision`);
      // JPEG has no alpha: 1 = grey, 3 = YCbCr/RGB, 4 = CMYK/YCCK.
      const progressive = isProgressive(m);
      frame = { format: 'jpeg', width, height, hasAlpha: false, frames: 1, progressive, bitDepth: precision };
    } else if (m === APP1 && orientation === undefined && startsWith(b, EXIF_PREFIX, seg)) {
      // Only the first Exif APP1 counts (a later APP1 is usually XMP, which has a different prefix anyway).
      orientation = readTiffOrientation(b, seg, end);
    }
    i = end;
  }
}
