/** The benchmark's inputs, shared by the Node benchmark and the workerd one. */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { OutputFormat } from '../src/codecs/types';

const FIXTURES = new URL('../test/fixtures/images/generated/', import.meta.url);

export const CASES = [
  'photo-0.8mp',
  'photo-3mp',
  'photo-12mp',
  'photo-24mp',
  'progressive-12mp',
  'png-24mp',
  'png-interlaced-12mp',
] as const;
export type CaseName = (typeof CASES)[number];

export async function input(name: CaseName): Promise<Uint8Array> {
  const read = (file: string) => readFileSync(new URL(file, FIXTURES));
  if (name === 'photo-0.8mp') return read('photo-1000x800.jpg');
  if (name === 'photo-12mp') return read('photo-4000x3000.jpg');
  if (name === 'photo-24mp') return read('photo-6000x4000.jpg');
  if (name === 'progressive-12mp') return read('photo-4000x3000-progressive.jpg');
  // PNGs of the same photos, written by sharp in memory (a photograph is a byte per pixel or more as PNG, too
  // big to commit): zlib level 6 and adaptive row filters, as libpng and most editors write them.
  const png = (file: string, interlaced: boolean) =>
    sharp(read(file)).png({ adaptiveFiltering: true, progressive: interlaced }).toBuffer();
  if (name === 'png-24mp') return png('photo-6000x4000.jpg', false);
  if (name === 'png-interlaced-12mp') return png('photo-4000x3000.jpg', true);
  // No 3 MP fixture is committed: derive one from the 12 MP photo, in memory.
  return sharp(read('photo-4000x3000.jpg')).resize(2000, 1500).jpeg({ quality: 85, chromaSubsampling: '4:2:0' }).toBuffer();
}

/** The inputs every output format is measured on. */
export const FORMAT_CASES = ['photo-0.8mp', 'photo-3mp', 'photo-12mp'] as const satisfies readonly CaseName[];

/** sharp's side of every case: the same request, one thread, no cache (set by the caller). */
export function viaSharp(bytes: Uint8Array, quality = 80): Promise<Buffer> {
  return sharp(bytes).resize(800).webp({ quality }).toBuffer();
}

/**
 * The same request in `format` at sharp's default settings for it (JPEG q80 4:2:0 baseline, PNG zlib 6 without
 * adaptive filtering, WebP q80, AVIF q50 4:4:4 effort 4), or at `quality` for the rate-distortion curves.
 */
export function viaSharpAs(bytes: Uint8Array, format: OutputFormat, quality?: number): Promise<Buffer> {
  const resized = sharp(bytes).resize(800);
  const options = quality === undefined ? {} : { quality };
  if (format === 'jpeg') return resized.jpeg(options).toBuffer();
  if (format === 'png') return resized.png().toBuffer();
  if (format === 'webp') return resized.webp(options).toBuffer();
  return resized.avif(options).toBuffer();
}
