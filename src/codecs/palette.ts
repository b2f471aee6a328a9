/**
 * Whether a frame can be written as a palette PNG without losing anything: at most 256 distinct RGBA values.
 * A photo gives up within its first few hundred pixels; a flat graphic is scanned once.
 */
import { byteView, type Frame } from '../image/frame';

export interface Palette {
  /** RGBA entries, 4 bytes each, translucent ones first (so tRNS can stop at the last of them). */
  entries: Uint8Array;
  size: number;
  /** Index of each RGBA value (as a little-endian uint32). */
  index: Map<number, number>;
}

const MAX_COLOURS = 256;

export function findPalette(frame: Frame): Palette | undefined {
  const pixels = new Uint32Array(byteView(frame.data).buffer, frame.data.byteOffset, frame.width * frame.height);
  const seen = new Set<number>();
  let last = -1;
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i]!;
    if (p === last) continue;
    last = p;
    if (!seen.has(p)) {
      if (seen.size === MAX_COLOURS) return undefined;
      seen.add(p);
    }
  }
  // Alpha is the high byte of the little-endian word: translucent first.
  const colours = [...seen].sort((a, b) => Number(a >>> 24 === 255) - Number(b >>> 24 === 255));
  const entries = new Uint8Array(colours.length * 4);
  new Uint32Array(entries.buffer).set(colours);
  return { entries, size: colours.length, index: new Map(colours.map((c, i) => [c, i])) };
}

/** Writes the palette indices of `count` RGBA rows into `into` (one byte per pixel). */
export function toIndices(palette: Palette, rgba: Uint8Array, into: Uint8Array): void {
  const pixels = new Uint32Array(rgba.buffer, rgba.byteOffset, rgba.byteLength / 4);
  let last = -1;
  let index = 0;
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i]!;
    if (p !== last) {
      last = p;
      index = palette.index.get(p)!;
    }
    into[i] = index;
  }
}
