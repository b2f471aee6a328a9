/** Small images made in the test and pixels read back, for tests that check where colours land. */
import { encoderFor } from '../../src/codecs/registry';
import { createFrame, type Frame } from '../../src/image/frame';

export type Colour = [number, number, number];

/** A PNG of one opaque colour. */
export async function solidPng(width: number, height: number, [r, g, b]: Colour): Promise<Uint8Array> {
  const frame = createFrame(width, height, false);
  for (let i = 0; i < width * height; i++) frame.data.set([r, g, b, 255], i * 4);
  return encoderFor('png').encode(frame, { quality: 80, lossless: true, progressive: false });
}

export function rgb(frame: Frame, x: number, y: number): Colour {
  const p = (y * frame.width + x) * 4;
  return [frame.data[p]!, frame.data[p + 1]!, frame.data[p + 2]!];
}
