/** The JPEG quality the Metadata object reports, estimated from the file's quantisation tables. */
import { u16be } from '../../codecs/probe/bytes';
import { jpegSegments } from '../../codecs/probe/containers';
import { readOr } from '../../codecs/probe/errors';

const DQT = 0xdb;

/** Sum of the IJG (Annex K) luminance quantisation table: 64 values, order does not matter for a sum. */
const STANDARD_LUMA_SUM = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80,
  62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98,
  112, 100, 103, 99,
].reduce((a, b) => a + b, 0);

/**
 * The IJG quality (1–100) that would produce the file's luminance quantisation table: libjpeg scales the standard
 * table by `s = q < 50 ? 5000/q : 200 - 2q` percent, so the ratio of the sums gives `s` back. Encoders with their
 * own tables get the nearest IJG equivalent. Undefined when the file has no table 0.
 */
export function jpegQuality(bytes: Uint8Array): number | undefined {
  return readOr(() => {
    for (const segment of jpegSegments(bytes)) {
      if (segment.type !== DQT) continue;
      // A DQT segment holds one or more tables: Pq/Tq byte, then 64 values of 8 (Pq 0) or 16 bits (Pq 1).
      for (let i = segment.data; i < segment.end; ) {
        const precision = bytes[i]! >> 4;
        const id = bytes[i]! & 0x0f;
        const size = precision === 0 ? 64 : 128;
        if (i + 1 + size > segment.end) break;
        if (id === 0) {
          let sum = 0;
          let allOnes = true;
          for (let k = 0; k < 64; k++) {
            const q = precision === 0 ? bytes[i + 1 + k]! : u16be(bytes, i + 1 + 2 * k);
            sum += q;
            if (q !== 1) allOnes = false;
          }
          if (allOnes) return 100;
          const scale = (sum * 100) / STANDARD_LUMA_SUM;
          const quality = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
          return Math.min(100, Math.max(1, Math.round(quality)));
        }
        i += 1 + size;
      }
    }
    return undefined;
  }, undefined);
}
