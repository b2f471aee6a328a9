/**
 * The perceptual hash (pHash) of the Metadata object, and the distance between two. Pixels are decoded only when
 * that is cheap: JPEG at a reduced DCT scale up to PHASH_MAX_JPEG_PIXELS, other formats up to PHASH_MAX_PIXELS.
 */
import { decoderFor } from '../../codecs/registry';
import type { ImageInfo } from '../../codecs/types';
import { applyOrientation } from '../../image/orient';

/** pHash decodes PNG, WebP and AVIF at full size, so only small ones. */
export const PHASH_MAX_PIXELS = 4_000_000;
/** JPEG decodes at 1/8 scale (a 25 MP photo gives ~0.4 MP); the decoder's memory budget still applies. */
export const PHASH_MAX_JPEG_PIXELS = 25_000_000;

const HASH_SIZE = 32;

/**
 * The classic DCT perceptual hash: the upright image as 32×32 luma (area average, transparency over white), its
 * 2-D DCT, the 8×8 lowest frequencies without the DC row and column, one bit each for "above the median". 16 hex
 * digits, most significant bit first. "" when decoding would not be cheap or fails.
 */
export async function perceptualHash(bytes: Uint8Array, info: ImageInfo): Promise<string> {
  const decoder = decoderFor(info.format);
  const pixels = info.width * info.height;
  const cheap = info.format === 'jpeg' ? info.bitDepth === 8 && pixels <= PHASH_MAX_JPEG_PIXELS : pixels <= PHASH_MAX_PIXELS;
  if (!decoder || !cheap) return '';
  let frame;
  try {
    // JPEG decodes at the smallest DCT scale that still covers 32×32 (1/8 for photos).
    const hint = { minWidth: HASH_SIZE, minHeight: HASH_SIZE, fewestPixels: true };
    frame = applyOrientation(await decoder.decode(bytes, info, hint), info.orientation);
  } catch {
    return '';
  }
  const { width, height, data } = frame;
  const luma = new Float64Array(HASH_SIZE * HASH_SIZE);
  for (let oy = 0; oy < HASH_SIZE; oy++) {
    const y0 = Math.floor((oy * height) / HASH_SIZE);
    const y1 = Math.max(y0 + 1, Math.floor(((oy + 1) * height) / HASH_SIZE));
    for (let ox = 0; ox < HASH_SIZE; ox++) {
      const x0 = Math.floor((ox * width) / HASH_SIZE);
      const x1 = Math.max(x0 + 1, Math.floor(((ox + 1) * width) / HASH_SIZE));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const p = (y * width + x) * 4;
          const alpha = data[p + 3]! / 255;
          const l = 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
          sum += l * alpha + 255 * (1 - alpha);
        }
      }
      luma[oy * HASH_SIZE + ox] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return hashFromLuma(luma);
}

/** Bits from the DCT of a 32×32 luma grid (exported for tests). */
export function hashFromLuma(luma: Float64Array): string {
  const n = HASH_SIZE;
  const cos = (u: number, x: number) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * n));
  // Only frequencies 1–8 are needed: rows first, then columns (separable DCT-II; scale factors cancel out).
  const rows = new Float64Array(n * 8);
  for (let y = 0; y < n; y++) {
    for (let u = 1; u <= 8; u++) {
      let s = 0;
      for (let x = 0; x < n; x++) s += luma[y * n + x]! * cos(u, x);
      rows[y * 8 + (u - 1)] = s;
    }
  }
  const coefficients: number[] = [];
  for (let v = 1; v <= 8; v++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < n; y++) s += rows[y * 8 + u]! * cos(v, y);
      coefficients.push(s);
    }
  }
  const sorted = [...coefficients].sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = '';
  for (let i = 0; i < 64; i += 4) {
    let nibble = 0;
    for (let j = 0; j < 4; j++) nibble = (nibble << 1) | (coefficients[i + j]! > median ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

/** Hamming distance of two pHash strings (0 = same, 64 = opposite), as ImageKit's SDK helpers compute it. */
export function pHashDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < 16; i++) {
    let x = parseInt(a[i] ?? '0', 16) ^ parseInt(b[i] ?? '0', 16);
    for (; x; x &= x - 1) distance++;
  }
  return distance;
}
