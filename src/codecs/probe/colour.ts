// The colour space an image declares, from the carrier each format has: JPEG APP2 ICC_PROFILE segments (a profile
// may span several), PNG iCCP (zlib-compressed) or sRGB, WebP ICCP, AVIF colr ('prof'/'rICC' or 'nclx'). A broken
// carrier is treated as absent, as viewers do: the image is then shown as sRGB.
import { Unzlib } from 'fflate';
import { concat } from '../concat';
import type { ColourInfo } from '../types';
import { ascii, u16be, u8 } from './bytes';
import { type Box, jpegSegments, pngChunks, riffChunks } from './containers';
import { readOr } from './errors';

const APP2 = 0xe2;
const ICC_MARKER = 'ICC_PROFILE\0';
/** Bigger profiles are ignored: real ones are 0.5–600 KB; this bounds what a hostile iCCP may inflate to. */
export const MAX_ICC_BYTES = 4 << 20;
/** H.273 code points of sRGB: BT.709 primaries, the sRGB transfer curve. */
export const SRGB_CODE_POINTS = { primaries: 1, transfer: 13 } as const;

/** A profile's own size field must match what was found, and it must name the 'acsp' signature. */
function iccOrUndefined(icc: Uint8Array): ColourInfo | undefined {
  if (icc.length < 132 || icc.length > MAX_ICC_BYTES || ascii(icc, 36, 4) !== 'acsp') return undefined;
  const declared = ((icc[0]! << 24) | (icc[1]! << 16) | (icc[2]! << 8) | icc[3]!) >>> 0;
  return declared <= icc.length ? { icc: icc.slice(0, declared) } : undefined;
}

/** JPEG: the APP2 chunks (sequence number, count, data), joined in their numbered order. */
export function jpegColour(b: Uint8Array): ColourInfo | undefined {
  return readOr(() => {
    const chunks: Uint8Array[] = [];
    for (const s of jpegSegments(b)) {
      if (s.type !== APP2 || s.end - s.data <= 14 || ascii(b, s.data, 12) !== ICC_MARKER) continue;
      const seq = u8(b, s.data + 12);
      if (seq >= 1) chunks[seq - 1] = b.subarray(s.data + 14, s.end);
    }
    // A missing chunk (the array has a hole) leaves the profile unusable.
    if (chunks.length === 0 || Array.from(chunks).some((c) => c === undefined)) return undefined;
    return iccOrUndefined(concat(chunks));
  }, undefined);
}

/** PNG: iCCP (name, NUL, method 0, zlib data) wins over sRGB, as the PNG specification orders them. */
export function pngColour(b: Uint8Array): ColourInfo | undefined {
  return readOr(() => {
    let srgb = false;
    for (const { type, data, end } of pngChunks(b)) {
      if (type === 'sRGB') srgb = true;
      if (type !== 'iCCP') continue;
      const nul = b.subarray(data, Math.min(end, data + 80)).indexOf(0);
      if (nul < 0 || b[data + nul + 1] !== 0) return undefined;
      const icc = inflateBounded(b.subarray(data + nul + 2, end));
      return icc && iccOrUndefined(icc);
    }
    return srgb ? { ...SRGB_CODE_POINTS } : undefined;
  }, undefined);
}

/** zlib data inflated, or undefined when it is broken or grows past MAX_ICC_BYTES. */
function inflateBounded(data: Uint8Array): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  let size = 0;
  const inflater = new Unzlib((chunk) => {
    size += chunk.length;
    if (size <= MAX_ICC_BYTES) parts.push(chunk);
  });
  try {
    for (let at = 0; at < data.length && size <= MAX_ICC_BYTES; at += 16384) {
      inflater.push(data.subarray(at, at + 16384), at + 16384 >= data.length);
    }
  } catch {
    return undefined;
  }
  return size > MAX_ICC_BYTES ? undefined : concat(parts);
}

/** PNG without iCCP or sRGB: gAMA (the encoding exponent ×100000) and cHRM (white and primaries ×100000). */
export interface PngGamma {
  gamma?: number;
  /** White x, y, red x, y, green x, y, blue x, y. */
  chromaticities?: number[];
}

export function pngGamma(b: Uint8Array): PngGamma {
  return readOr(() => {
    const out: PngGamma = {};
    for (const { type, data, end } of pngChunks(b)) {
      if (type === 'gAMA' && end - data === 4) out.gamma = u32(b, data) / 100000;
      if (type === 'cHRM' && end - data === 32) out.chromaticities = Array.from({ length: 8 }, (_, k) => u32(b, data + 4 * k) / 100000);
    }
    return out;
  }, {});
}

const u32 = (b: Uint8Array, o: number) => ((u16be(b, o) << 16) >>> 0) + u16be(b, o + 2);

/** WebP: the ICCP chunk of an extended (VP8X) file. */
export function webpColour(b: Uint8Array): ColourInfo | undefined {
  return readOr(() => {
    for (const c of riffChunks(b, 12, b.length)) {
      if (c.type === 'ICCP') return c.end <= b.length ? iccOrUndefined(b.slice(c.data, c.end)) : undefined;
      if (c.type === 'VP8 ' || c.type === 'VP8L' || c.type === 'ANMF') return undefined; // ICCP precedes the image
    }
    return undefined;
  }, undefined);
}

/** AVIF/HEIF: the primary item's colr properties; a profile wins over code points when both are there. */
export function isobmffColour(b: Uint8Array, colrs: Box[]): ColourInfo | undefined {
  return readOr(() => {
    let nclx: ColourInfo | undefined;
    for (const { data, end } of colrs) {
      const kind = ascii(b, data, 4, end);
      if (kind === 'prof' || kind === 'rICC') {
        const icc = iccOrUndefined(b.slice(data + 4, end));
        if (icc) return icc;
      } else if (kind === 'nclx' && !nclx) {
        nclx = {
          primaries: u16be(b, data + 4, end),
          transfer: u16be(b, data + 6, end),
          matrix: u16be(b, data + 8, end),
          fullRange: (u8(b, data + 10, end) & 0x80) !== 0,
        };
      }
    }
    return nclx;
  }, undefined);
}
