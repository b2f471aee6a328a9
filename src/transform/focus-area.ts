/**
 * `fo-custom` reads the file's stored customCoordinates: the same URL gives another image when they change, so
 * they are part of what a variant depends on, and only then.
 */
import { everyStep } from './conditional';
import type { Transformation } from './parse';
import type { Region } from './planned-ops';

/** The area of a stored "x,y,width,height" (as the library keeps it), or undefined for none or a malformed one. */
export function focusArea(customCoordinates: string | undefined): Region | undefined {
  const parts = customCoordinates?.split(',').map(Number);
  if (!parts || parts.length !== 4 || !parts.every((n) => Number.isInteger(n) && n >= 0)) return undefined;
  const [x, y, width, height] = parts as [number, number, number, number];
  return width > 0 && height > 0 ? { x, y, width, height } : undefined;
}

export function usesCustomFocus(t: Transformation): boolean {
  return everyStep(t.steps).some((step) => step.fo === 'custom');
}
