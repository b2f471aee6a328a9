/**
 * Plans the effects with geometry of their own (`e-distort`, `e-shadow`, `e-gradient`) for an image of known
 * size: each becomes one operation with its pixels resolved, and a distortion's canvas is known before decoding.
 */
import { arcSize } from '../image/arc';
import { blurSigmaFromRadius } from '../image/blur';
import { gradientLineLength } from '../image/linear-gradient';
import { HttpError } from '../http/errors';
import type { Distort, Gradient, Shadow } from './effect-grammars';
import { evaluate, scopeOf } from './expression';
import type { Dimensions, Op } from './planned-ops';

/** ImageKit casts shadows on images of at most 2 MP and answers 400 above; a bound on the work, too. */
export const SHADOW_MAX_PIXELS = 2_000_000;

export function distortOp(value: Distort, size: Dimensions): Extract<Op, { op: 'perspective' | 'arc' }> {
  if (value.kind === 'perspective') return { op: 'perspective', quad: value.points, ...size };
  return { op: 'arc', degrees: value.degrees, ...arcSize(size.width, size.height, value.degrees) };
}

export function shadowOp(value: Shadow, size: Dimensions): Extract<Op, { op: 'shadow' }> {
  if (size.width * size.height > SHADOW_MAX_PIXELS) {
    throw new HttpError(
      400,
      `e-shadow works on images of at most 2 MP; the image is ${size.width}×${size.height} where the shadow is cast`,
      'Resize first, in the same step or an earlier one (w-500,e-shadow or w-500:e-shadow).',
    );
  }
  return {
    op: 'shadow',
    sigma: blurSigmaFromRadius(value.blur),
    opacity: value.saturation / 100,
    dx: Math.round((value.x / 100) * size.width),
    dy: Math.round((value.y / 100) * size.height),
  };
}

export function gradientOp(value: Gradient, original: Dimensions, size: Dimensions): Extract<Op, { op: 'gradient' }> {
  const length = gradientLineLength(size.width, size.height, value.degrees);
  let stop: number;
  if (value.stop.kind === 'fraction') stop = value.stop.value;
  else {
    const amount = value.stop.kind === 'px' ? value.stop.value : evaluate(value.stop.expr, scopeOf(original, size));
    if (!(amount > 0) || !Number.isFinite(amount)) {
      throw new HttpError(400, `e-gradient's stop point ${value.stop.kind === 'expr' ? value.stop.expr.source : amount} is not a positive number here`, 'Write sp as 0.01–0.99, a number of pixels, or an expression that is positive for this image.');
    }
    // As ImageKit reads a written number: up to 1 a fraction of the way, above it pixels.
    stop = amount <= 1 ? amount : amount / (length || 1);
  }
  return { op: 'gradient', degrees: value.degrees, from: value.from, to: value.to, stop };
}
