import type { Frame, Rgba } from './frame';
import { previewOf } from './preview';

/**
 * The colours that cover most of an image (`bg-dominant`, `bg-gradient_dominant`): the pixels of a small preview
 * counted in a 16-level-per-channel histogram, the fullest bins taken in order, each as the mean of its pixels,
 * skipping a bin too close to one already taken so that two dominant colours differ. Transparent pixels do not
 * count. Fewer distinct colours than asked repeat the last.
 */
const PREVIEW_SIDE = 64;
/** Below this distance (RGB, 0–441) two colours count as one. */
const DISTINCT = 48;

export async function dominantColors(frame: Frame, count: number): Promise<Rgba[]> {
  const preview = await previewOf(frame, PREVIEW_SIDE);
  const bins = new Map<number, { n: number; r: number; g: number; b: number }>();
  const { data } = preview;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3]! < 128) continue;
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    const bin = bins.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    bin.n++;
    bin.r += r;
    bin.g += g;
    bin.b += b;
    bins.set(key, bin);
  }
  const colours: Rgba[] = [];
  for (const bin of [...bins.values()].sort((a, b) => b.n - a.n)) {
    const c = { r: Math.round(bin.r / bin.n), g: Math.round(bin.g / bin.n), b: Math.round(bin.b / bin.n), a: 255 };
    if (colours.some((d) => Math.hypot(c.r - d.r, c.g - d.g, c.b - d.b) < DISTINCT)) continue;
    colours.push(c);
    if (colours.length === count) break;
  }
  // A fully transparent image has no colour: black, as padding without bg.
  if (colours.length === 0) colours.push({ r: 0, g: 0, b: 0, a: 255 });
  while (colours.length < count) colours.push(colours[colours.length - 1]!);
  return colours;
}
