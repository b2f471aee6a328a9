import { createFrame, type Frame, type Rgba } from './frame';

/**
 * A width × height canvas shaded between colours: two run from one edge to the opposite one (`vertical`: top to
 * bottom), four sit at the corners (top left, top right, bottom right, bottom left) and blend bilinearly.
 */
export function gradientFrame(width: number, height: number, colours: readonly Rgba[], vertical: boolean): Frame {
  const frame = createFrame(width, height, false);
  const [tl, tr, br, bl] =
    colours.length >= 4 ? colours : vertical ? [colours[0]!, colours[0]!, colours[1]!, colours[1]!] : [colours[0]!, colours[1]!, colours[1]!, colours[0]!];
  const d = frame.data;
  const channels = (c: Rgba) => [c.r, c.g, c.b] as const;
  const [a, b, c, e] = [channels(tl!), channels(tr!), channels(br!), channels(bl!)];
  for (let y = 0; y < height; y++) {
    const v = height > 1 ? y / (height - 1) : 0;
    for (let x = 0; x < width; x++) {
      const u = width > 1 ? x / (width - 1) : 0;
      const i = (y * width + x) * 4;
      for (let k = 0; k < 3; k++) {
        const top = a[k]! + (b[k]! - a[k]!) * u;
        const bottom = e[k]! + (c[k]! - e[k]!) * u;
        d[i + k] = top + (bottom - top) * v;
      }
      d[i + 3] = 255;
    }
  }
  return frame;
}
