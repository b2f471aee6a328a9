/**
 * How YUV samples become RGB for an AV1 image's matrix_coefficients (ITU-T H.273, table 4), as libavif reads
 * them: Kr/Kb for the Y′CbCr matrices, identity (the planes are G, B, R) and YCgCo are conversions of their own.
 * Unspecified, reserved and the chroma-derived matrices fall back to BT.601, as libavif does.
 */
export const MATRIX_YUV = 0;
export const MATRIX_IDENTITY = 1;
export const MATRIX_YCGCO = 2;

export interface YuvMatrix {
  kind: typeof MATRIX_YUV | typeof MATRIX_IDENTITY | typeof MATRIX_YCGCO;
  kr: number;
  kb: number;
}

const BT601 = { kr: 0.299, kb: 0.114 };
const WEIGHTS: Record<number, { kr: number; kb: number }> = {
  1: { kr: 0.2126, kb: 0.0722 }, // BT.709
  4: { kr: 0.3, kb: 0.11 }, // FCC
  5: BT601, // BT.470 B/G
  6: BT601, // BT.601
  7: { kr: 0.212, kb: 0.087 }, // SMPTE 240M
  9: { kr: 0.2627, kb: 0.0593 }, // BT.2020 non-constant luminance
  10: { kr: 0.2627, kb: 0.0593 }, // BT.2020 constant luminance, converted as non-constant (as libavif does)
};

export function yuvMatrix(matrixCoefficients: number): YuvMatrix {
  if (matrixCoefficients === 0) return { kind: MATRIX_IDENTITY, ...BT601 };
  if (matrixCoefficients === 8) return { kind: MATRIX_YCGCO, ...BT601 };
  return { kind: MATRIX_YUV, ...(WEIGHTS[matrixCoefficients] ?? BT601) };
}
