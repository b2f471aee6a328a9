import type { Frame } from './frame';
import { flip } from './flip';
import { warp } from './warp';

/**
 * The circle an arc bends the image onto: the middle row keeps its length along the arc (radius = width /
 * angle), the top row lies outside it and the bottom row inside, and the canvas is the band's bounding box.
 */
interface ArcGeometry {
  angle: number;
  outer: number;
  inner: number;
  /** The circle's centre on the canvas (y down). */
  cx: number;
  cy: number;
  width: number;
  height: number;
}

function geometry(w: number, h: number, degrees: number): ArcGeometry {
  const angle = (Math.min(Math.abs(degrees), 360) * Math.PI) / 180;
  const middle = w / angle;
  const outer = middle + h / 2;
  // A wide arc of a tall image would fold the bottom row through the centre: it stops at the centre instead.
  const inner = Math.max(0, middle - h / 2);
  // Bounding box of the band between the two circles over [-angle/2, angle/2] around "up".
  const half = angle / 2;
  const xs: number[] = [];
  const ys: number[] = [];
  const at = (r: number, phi: number) => {
    xs.push(r * Math.sin(phi));
    ys.push(-r * Math.cos(phi));
  };
  for (const r of [inner, outer]) {
    at(r, -half);
    at(r, half);
    at(r, 0);
    for (const phi of [Math.PI / 2, -Math.PI / 2, Math.PI, -Math.PI]) if (Math.abs(phi) <= half) at(r, phi);
  }
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  // The epsilon stops float noise from adding a pixel to an exact size.
  const width = Math.max(1, Math.ceil(Math.max(...xs) - left - 1e-9));
  const height = Math.max(1, Math.ceil(Math.max(...ys) - top - 1e-9));
  return { angle, outer, inner, cx: -left, cy: -top, width, height };
}

/** The canvas an arc of `degrees` makes of a `width` × `height` image (what the planner counts before decoding). */
export function arcSize(width: number, height: number, degrees: number): { width: number; height: number } {
  const g = geometry(width, height, degrees);
  return { width: g.width, height: g.height };
}

/**
 * Bends the image along a circular arc of `degrees`: positive curves upwards (the middle rises, like ∩),
 * negative downwards (∪). The rest of the canvas is transparent.
 */
export function arc(frame: Frame, degrees: number): Frame {
  // Downwards is the upward arc of the upside-down image, turned back upright.
  if (degrees < 0) return flip(arc(flip(frame, false, true), -degrees), false, true);
  const { width: w, height: h } = frame;
  const g = geometry(w, h, degrees);
  return warp(frame, g.width, g.height, (x, y, at) => {
    const dx = x - g.cx;
    const dy = g.cy - y;
    const r = Math.hypot(dx, dy);
    const phi = Math.atan2(dx, dy);
    if (r > g.outer + 1 || r < g.inner - 1 || Math.abs(phi) > g.angle / 2 + 1 / g.outer) return false;
    at[0] = (phi / g.angle + 0.5) * w;
    at[1] = g.outer - r;
    return true;
  });
}
