import type { Frame } from './frame';

export interface CornerRadii {
  tl: number;
  tr: number;
  br: number;
  bl: number;
}

/**
 * Rounds the corners by fading alpha, in place, with a one-pixel antialiased edge. 'max' (ImageKit's r-max)
 * gives the inscribed ellipse: a circle for a square frame, an oval otherwise, as ImageKit documents.
 * Radii too large for a side shrink in proportion, as CSS border-radius does.
 */
export function roundCorners(frame: Frame, radii: CornerRadii | 'max'): Frame {
  const { width: w, height: h } = frame;
  let tl: Radius, tr: Radius, br: Radius, bl: Radius;
  if (radii === 'max') {
    tl = tr = br = bl = { x: w / 2, y: h / 2 };
  } else {
    const scale = Math.min(1, w / (radii.tl + radii.tr), w / (radii.bl + radii.br), h / (radii.tl + radii.bl), h / (radii.tr + radii.br));
    const r = (v: number): Radius => ({ x: Math.max(v, 0) * scale, y: Math.max(v, 0) * scale });
    [tl, tr, br, bl] = [r(radii.tl), r(radii.tr), r(radii.br), r(radii.bl)];
  }
  frame.hasAlpha = true;
  // Right and bottom corner boxes start where the opposite box ends: a shared middle column or row would
  // otherwise be faded twice (with 'max' on an odd size the boxes meet in the middle).
  const tlW = Math.ceil(tl.x), tlH = Math.ceil(tl.y), blW = Math.ceil(bl.x), trH = Math.ceil(tr.y);
  fadeCorner(frame, tl, 0, tlW, 0, tlH, -1, -1);
  fadeCorner(frame, tr, Math.max(w - Math.ceil(tr.x), tlW), w, 0, trH, 1, -1);
  fadeCorner(frame, bl, 0, blW, Math.max(h - Math.ceil(bl.y), tlH), h, -1, 1);
  fadeCorner(frame, br, Math.max(w - Math.ceil(br.x), blW), w, Math.max(h - Math.ceil(br.y), trH), h, 1, 1);
  return frame;
}

interface Radius {
  x: number;
  y: number;
}

/**
 * Multiplies alpha in the box [x0, x1) × [y0, y1) by how much of each pixel the corner's ellipse covers.
 * dirX / dirY (-1 or 1) point from the ellipse centre out towards the frame edge the corner sits on.
 */
function fadeCorner(frame: Frame, radius: Radius, x0: number, x1: number, y0: number, y1: number, dirX: number, dirY: number): void {
  if (radius.x <= 0 || radius.y <= 0) return;
  const { data, width, height } = frame;
  const cx = dirX < 0 ? radius.x : width - radius.x;
  const cy = dirY < 0 ? radius.y : height - radius.y;
  for (let y = y0; y < y1; y++) {
    // Distance outwards from the centre in radii; a pixel centre on the inner side is level with the centre.
    const ny = Math.max(dirY * (y + 0.5 - cy), 0) / radius.y;
    for (let x = x0; x < x1; x++) {
      const nx = Math.max(dirX * (x + 0.5 - cx), 0) / radius.x;
      // g = nx² + ny² - 1 is negative inside; g / |∇g| approximates the signed distance to the edge in pixels
      // (at the exact centre that is -1/0 = -Infinity, i.e. fully covered).
      const g = nx * nx + ny * ny - 1;
      const distance = g / (2 * Math.hypot(nx / radius.x, ny / radius.y));
      const coverage = Math.min(Math.max(0.5 - distance, 0), 1);
      if (coverage < 1) {
        const p = (y * width + x) * 4 + 3;
        data[p] = data[p]! * coverage;
      }
    }
  }
}
