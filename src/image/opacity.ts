import type { Frame } from './frame';

/** Multiplies every pixel's alpha by `percent`/100, in place: `o-50` makes the image half transparent. */
export function fade(frame: Frame, percent: number): Frame {
  const { data } = frame;
  const factor = percent / 100;
  for (let i = 3; i < data.length; i += 4) data[i] = data[i]! * factor;
  frame.hasAlpha = true;
  return frame;
}
