/** An image's density in dots per inch, as the Metadata object reports it. */
import { u32be } from '../../codecs/probe/bytes';
import { findPart, pngChunks } from '../../codecs/probe/containers';
import { readOr } from '../../codecs/probe/errors';
import type { ImageFormat } from '../../codecs/types';
import type { Tags } from './exif';

export const DEFAULT_DENSITY = 72;

/** Dots per inch from EXIF (ResolutionUnit 2 inch, 3 cm), else JFIF or PNG pHYs; DEFAULT_DENSITY otherwise. */
export function density(bytes: Uint8Array, format: ImageFormat, tags: Tags): number {
  // Unit 2 is inches, 3 centimetres (EXIF's ResolutionUnit numbering).
  const perInch = (value: unknown, unit: unknown): number | undefined => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
    if (unit === 2) return value;
    if (unit === 3) return value * 2.54;
    return undefined;
  };
  const ifd0 = (tags.ifd0 ?? {}) as Record<string, unknown>;
  const jfif = (tags.jfif ?? {}) as Record<string, unknown>;
  let dpi = ifd0.XResolution !== undefined ? perInch(ifd0.XResolution, ifd0.ResolutionUnit ?? 2) : undefined;
  // JFIF units: 0 aspect ratio only, 1 per inch, 2 per cm.
  if (dpi === undefined && (jfif.ResolutionUnit === 1 || jfif.ResolutionUnit === 2)) {
    dpi = perInch(jfif.XResolution, jfif.ResolutionUnit === 1 ? 2 : 3);
  }
  if (dpi === undefined && format === 'png') {
    dpi = readOr(() => {
      const phys = findPart(pngChunks(bytes), (c) => c.type === 'pHYs' && c.end - c.data >= 9);
      // Unit 1: pixels per metre.
      return phys && bytes[phys.data + 8] === 1 ? u32be(bytes, phys.data) * 0.0254 : undefined;
    }, undefined);
  }
  return dpi === undefined ? DEFAULT_DENSITY : Math.round(dpi);
}
