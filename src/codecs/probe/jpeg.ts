// JPEG: walk the marker segments from SOI to the first SOS, taking size/precision/coding from SOFn and the
// orientation from the first APP1 "Exif" segment. Entropy-coded data is never touched.
import type { ImageInfo } from '../types';
import { malformed } from './errors';
import { need, startsWith, u16be, u8 } from './bytes';
import { jpegSegments } from './containers';
import { jpegColour } from './colour';
import { EXIF_PREFIX, readTiffOrientation } from './exif';

const APP1 = 0xe1;

/** SOF0–SOF15 minus the three codes in that range that are not frame headers: DHT (C4), JPG (C8), DAC (CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Progressive coding: SOF2 (Huffman), SOF6 (differential), SOF10 (arithmetic), SOF14 (differential arithmetic). */
const isProgressive = (m: number) => m === 0xc2 || m === 0xc6 || m === 0xca || m === 0xce;

export function probeJpeg(b: Uint8Array): ImageInfo {
  let frame: Omit<ImageInfo, 'orientation'> | undefined;
  let orientation: number | undefined;

  for (const { type: m, data: seg, end } of jpegSegments(b)) {
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
  }
  // The walk ended at SOS.
  if (!frame) throw malformed('jpeg: SOS before SOF');
  const colour = jpegColour(b);
  return { ...frame, orientation: orientation ?? 1, ...(colour && { colour }) };
}
