import type { Anchor } from './frame';

/** Horizontal and vertical share of the free space that goes before the content. */
const SHARES: Record<Anchor, readonly [number, number]> = {
  top_left: [0, 0],
  top: [0.5, 0],
  top_right: [1, 0],
  left: [0, 0.5],
  center: [0.5, 0.5],
  right: [1, 0.5],
  bottom_left: [0, 1],
  bottom: [0.5, 1],
  bottom_right: [1, 1],
};

/**
 * Top-left position of content inside free space (container minus content) for an anchor, rounded down so
 * an odd leftover pixel goes after the content. Negative free space (content larger, as when choosing a
 * crop) works the same way.
 */
export function anchorOffset(anchor: Anchor, freeW: number, freeH: number): { x: number; y: number } {
  const [sx, sy] = SHARES[anchor];
  return { x: Math.floor(freeW * sx), y: Math.floor(freeH * sy) };
}
