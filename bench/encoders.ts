/**
 * JPEG and PNG output in pipeline.bench.ts: the same "decode → 800 wide" request encoded as JPEG q80 and as PNG
 * by edgepix (the resize streamed into its row encoders) and by sharp with its defaults (JPEG: libjpeg-turbo
 * compatible, 4:2:0, optimal Huffman tables, baseline; PNG: zlib level 6, no filtering, RGB). CPU is interleaved
 * like the WebP case. For JPEG, both sides also encode at q70–90 and bytes at equal SSIM are read off the two
 * curves (BD-rate, bench/quality.ts); PNG is lossless on both sides, so its bytes compare directly.
 */
import sharp from 'sharp';
import { cpuMs, median, round } from './measure';
import { bytesRatioAtEqualSsim, curve, decodeRgba, type Rgba, ssimOf } from './quality';
import { renderAs } from './render';

export interface EncoderResult {
  edgepixMs: number;
  sharpMs: number;
  cpuRatio: number;
  bytes: number;
  sharpBytes: number;
  /** Both outputs against the uncompressed ideal. */
  ssim: number;
  sharpSsim: number;
  /** JPEG: edgepix's bytes over sharp's at equal SSIM against the ideal and the exact reference. */
  equalSsim?: { ideal: number; exact: number };
}

export function viaSharpAs(bytes: Uint8Array, format: 'jpeg' | 'png', quality = 80): Promise<Buffer> {
  const resized = sharp(bytes).resize(800);
  return (format === 'jpeg' ? resized.jpeg({ quality }) : resized.png()).toBuffer();
}

export async function encoderCase(
  bytes: Uint8Array,
  format: 'jpeg' | 'png',
  runs: number,
  references: [Rgba, Rgba],
  rd: boolean,
): Promise<EncoderResult> {
  for (let i = 0; i < 2; i++) {
    await renderAs(bytes, format);
    await viaSharpAs(bytes, format);
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(await cpuMs(() => renderAs(bytes, format)));
    theirs.push(await cpuMs(() => viaSharpAs(bytes, format)));
  }
  const [mine, sharps] = [await renderAs(bytes, format), await viaSharpAs(bytes, format)];
  const [ideal] = references;
  const result: EncoderResult = {
    edgepixMs: round(median(ours), 1),
    sharpMs: round(median(theirs), 1),
    cpuRatio: round(median(ours) / median(theirs), 2),
    bytes: mine.byteLength,
    sharpBytes: sharps.byteLength,
    ssim: round(ssimOf(await decodeRgba(mine), ideal), 4),
    sharpSsim: round(ssimOf(await decodeRgba(sharps), ideal), 4),
  };
  if (rd && format === 'jpeg') {
    const a = await curve((q) => renderAs(bytes, 'jpeg', q), references);
    const b = await curve((q) => viaSharpAs(bytes, 'jpeg', q), references);
    result.equalSsim = { ideal: round(bytesRatioAtEqualSsim(a, b, 1), 3), exact: round(bytesRatioAtEqualSsim(a, b, 2), 3) };
  }
  return result;
}
