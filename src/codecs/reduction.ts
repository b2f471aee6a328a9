/**
 * How far a decoder that can reduce while decoding (JPEG's DCT scaling, WebP's scaled decode) should reduce for
 * a hint: the largest factor n for which the image is at least n + 1 times the hint on each side it names, so
 * the resizer is always left a reduction of at least (n + 1)/n and the output never has fewer pixels than the
 * hint asks for. With `fewestPixels`, the largest factor whose output, ceil(w/n) × ceil(h/n), still covers the
 * hint. Without a hint: 1 (full size); a hint naming only one side leaves the other free.
 *
 * This is sharp's shrink-on-load choice (the largest factor not above the shrink, halved when the shrink's
 * integer part equals it). A reduced decode is close to a box filter, and the less the resizer has left to do
 * after it, the more of the output's upper band the box softens and aliases: decoding the 3 MP benchmark photo
 * (shrink 2.5) at 1/2 cost 0.002 SSIM at equal WebP bytes (0.004 at q80) against sharp, which decodes it at full
 * size. Leaving at least 2× (libvips' thumbnail, sharp's fastShrinkOnLoad: false) is better still, at more CPU
 * and memory than a Worker can spend: a 12 MP WebP bound for 800 px would decode whole (48 MB) instead of at 1/2.
 */
import type { DecodeHint } from './types';

/** `factors` largest first; answers one of them, or 1. */
export function chooseReduction(width: number, height: number, hint: DecodeHint, factors: readonly number[]): number {
  const minWidth = hint.minWidth ?? 0;
  const minHeight = hint.minHeight ?? 0;
  if (minWidth <= 0 && minHeight <= 0) return 1;
  const shrink = Math.min(minWidth > 0 ? width / minWidth : Infinity, minHeight > 0 ? height / minHeight : Infinity);
  for (const n of factors) {
    const fits = hint.fewestPixels ? Math.ceil(width / n) >= minWidth && Math.ceil(height / n) >= minHeight : shrink >= n + 1;
    if (fits) return n;
  }
  return 1;
}
