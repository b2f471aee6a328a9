/**
 * A long animated GIF made on the spot (omggif's writer): diagonal colour bands in 16 colours that move 4 px a
 * frame, so every frame differs and LZW packs it small (300 frames of 800×600 are about 5 MB). Used by the memory
 * test of animations and by `npm run bench:animation`.
 */
import omggif from 'omggif';

export function bandsGif(width: number, height: number, frames: number, delayCs = 4): Uint8Array {
  const palette = Array.from({ length: 16 }, (_, i) => ((i * 16) << 16) | ((255 - i * 16) << 8) | ((i * 53) & 255));
  // LZW packs these bands about 20:1; a quarter of the pixels is room enough (checked below).
  const buffer = new Uint8Array(Math.max(1 << 20, (frames * width * height) / 4));
  const writer = new omggif.GifWriter(buffer, width, height, { palette, loop: 0 });
  const indices = new Array<number>(width * height);
  for (let f = 0; f < frames; f++) {
    for (let y = 0, i = 0; y < height; y++) for (let x = 0; x < width; x++) indices[i++] = ((x + y + f * 4) >> 5) & 15;
    writer.addFrame(0, 0, width, height, indices, { delay: delayCs });
  }
  const end = writer.end();
  if (end >= buffer.length - 1024) throw new Error('bandsGif: the buffer was too small');
  return buffer.slice(0, end);
}
