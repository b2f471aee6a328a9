import type { Frame, Rgba } from './frame';

export interface LinearGradient {
  /** Towards which way the colours run, in degrees clockwise from up (CSS's linear-gradient angle). */
  degrees: number;
  from: Rgba;
  to: Rgba;
  /** Where along the gradient line `to` is reached, as a fraction of it (above 1: never quite). */
  stop: number;
}

/**
 * The gradient line's length for a box, as CSS defines it: the corners furthest along the direction sit at its
 * ends, so 0 and 1 are always the image's extreme corners.
 */
export function gradientLineLength(width: number, height: number, degrees: number): number {
  const radians = (degrees * Math.PI) / 180;
  return Math.abs(width * Math.sin(radians)) + Math.abs(height * Math.cos(radians));
}

/**
 * Lays a two-colour linear gradient over the frame, in place: `from` at the start of the gradient line, `to` at
 * `stop` and beyond, mixed with premultiplied alpha as CSS mixes them, then composited over each pixel.
 */
export function overlayGradient(frame: Frame, { degrees, from, to, stop }: LinearGradient): Frame {
  const { width: w, height: h, data } = frame;
  const radians = (degrees * Math.PI) / 180;
  const ux = Math.sin(radians);
  const uy = -Math.cos(radians);
  const length = gradientLineLength(w, h, degrees) || 1;
  const span = length * Math.max(stop, 1e-6);
  const fa = from.a / 255;
  const ta = to.a / 255;
  const premultiplied = (c: Rgba, a: number) => [c.r * a, c.g * a, c.b * a] as const;
  const [fr, fg, fb] = premultiplied(from, fa);
  const [tr, tg, tb] = premultiplied(to, ta);
  let opaque = true;
  for (let y = 0, i = 0; y < h; y++) {
    const along = (y + 0.5 - h / 2) * uy + length / 2;
    for (let x = 0; x < w; x++, i += 4) {
      const t = Math.min(1, Math.max(0, ((x + 0.5 - w / 2) * ux + along) / span));
      const ga = fa + (ta - fa) * t;
      if (ga === 0) {
        if (data[i + 3]! < 255) opaque = false;
        continue;
      }
      const pa = data[i + 3]! / 255;
      const keep = pa * (1 - ga);
      const out = ga + keep;
      data[i] = (fr + (tr - fr) * t + data[i]! * keep) / out;
      data[i + 1] = (fg + (tg - fg) * t + data[i + 1]! * keep) / out;
      data[i + 2] = (fb + (tb - fb) * t + data[i + 2]! * keep) / out;
      data[i + 3] = out * 255;
      if (out < 1 - 1e-9) opaque = false;
    }
  }
  if (frame.hasAlpha && opaque) frame.hasAlpha = false;
  return frame;
}
