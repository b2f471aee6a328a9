// ITU-T H.273 colour code points (AVIF/HEIF nclx) and PNG gAMA/cHRM, as the primaries, white point and transfer
// curve Little CMS builds a source profile from (wasm/lcms/lcms.c, lcms_open_primaries).
import type { ColourInfo } from '../types';
import type { PngGamma } from '../probe/colour';

/** White x, y, then red, green, blue x, y. */
type Chromaticities = readonly [number, number, number, number, number, number, number, number];
/** lcms's parametric curve: type 1 (y = x^g) with [g], or type 4 (IEC 61966-2.1 form) with [g, a, b, c, d]. */
export interface Curve {
  type: 1 | 4;
  params: readonly number[];
}
export interface PrimariesSpace {
  chromaticities: Chromaticities;
  curve: Curve;
}

const D65 = [0.3127, 0.329] as const;
const BT709: Chromaticities = [...D65, 0.64, 0.33, 0.3, 0.6, 0.15, 0.06];
const PRIMARIES: Record<number, Chromaticities> = {
  1: BT709,
  4: [0.31, 0.316, 0.67, 0.33, 0.21, 0.71, 0.14, 0.08], // BT.470 M (illuminant C)
  5: [...D65, 0.64, 0.33, 0.29, 0.6, 0.15, 0.06], // BT.470 BG
  6: [...D65, 0.63, 0.34, 0.31, 0.595, 0.155, 0.07], // SMPTE 170M
  7: [...D65, 0.63, 0.34, 0.31, 0.595, 0.155, 0.07], // SMPTE 240M
  9: [...D65, 0.708, 0.292, 0.17, 0.797, 0.131, 0.046], // BT.2020
  11: [0.314, 0.351, 0.68, 0.32, 0.265, 0.69, 0.15, 0.06], // SMPTE RP 431-2 (DCI-P3)
  12: [...D65, 0.68, 0.32, 0.265, 0.69, 0.15, 0.06], // SMPTE EG 432-1 (Display P3)
  22: [...D65, 0.63, 0.34, 0.295, 0.605, 0.155, 0.077], // EBU Tech 3213-E
};

export const SRGB_CURVE: Curve = { type: 4, params: [2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045] };
const gamma = (g: number): Curve => ({ type: 1, params: [g] });
/**
 * Transfer code points an SDR display shows through the sRGB curve: unspecified (2), sRGB (13) and the camera
 * curves of BT.709/601/2020 (1, 6, 14, 15), which browsers display as sRGB too. PQ and HLG (16, 18) are HDR and
 * need tone mapping, which is not done: such images are left as they are.
 */
const CURVES: Record<number, Curve> = {
  1: SRGB_CURVE,
  2: SRGB_CURVE,
  4: gamma(2.2),
  5: gamma(2.8),
  6: SRGB_CURVE,
  8: gamma(1),
  13: SRGB_CURVE,
  14: SRGB_CURVE,
  15: SRGB_CURVE,
};

/** The space of nclx code points, or undefined when it is sRGB already or cannot be converted. */
export function nclxSpace(colour: ColourInfo): PrimariesSpace | undefined {
  const primaries = colour.primaries === undefined || colour.primaries === 2 ? 1 : colour.primaries;
  const transfer = colour.transfer ?? 2;
  const chromaticities = PRIMARIES[primaries];
  const curve = CURVES[transfer];
  if (!chromaticities || !curve) return undefined;
  if (primaries === 1 && curve === SRGB_CURVE) return undefined;
  return { chromaticities, curve };
}

/**
 * The space of a PNG's gAMA/cHRM (the PNG specification's fallback when there is no iCCP or sRGB chunk). An
 * encoding gamma within 1 % of 1/2.2 without cHRM is what most writers put for sRGB: left as it is.
 */
export function pngGammaSpace({ gamma: encoding, chromaticities }: PngGamma): PrimariesSpace | undefined {
  const validGamma = encoding !== undefined && encoding > 0.01 && encoding <= 10;
  const validChroma = chromaticities !== undefined && chromaticities.every((v) => v > 0 && v < 1);
  if (!validGamma && !validChroma) return undefined;
  if (!validChroma && Math.abs(encoding! * 2.2 - 1) < 0.01) return undefined;
  return {
    chromaticities: validChroma ? (chromaticities as unknown as Chromaticities) : BT709,
    curve: validGamma ? gamma(1 / encoding!) : SRGB_CURVE,
  };
}
