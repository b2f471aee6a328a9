/**
 * `settings.formats`: when `f-auto` may answer AVIF. AVIF is the smallest format browsers take, and by far the
 * most expensive to encode (bench/README.md: about 5× WebP's CPU at 800 px), so a large first request in AVIF
 * can take seconds. Like Cloudflare, f-auto answers AVIF only while the output is small enough to encode within
 * a budget, WebP above it; like ImageKit, a tenant may also turn AVIF off or always take it.
 */
import { type Check, number, oneOf } from '../validate/fields';

export const AVIF_CHOICES = ['off', 'budget', 'always'] as const;
export type AvifChoice = (typeof AVIF_CHOICES)[number];

export interface FormatSettings {
  /** `off`: f-auto never answers AVIF; `budget`: only up to avifMaxMegapixels of output; `always`: whenever accepted. */
  avif: AvifChoice;
  /** Under `budget`, the largest output (width × height, in megapixels) f-auto encodes as AVIF. */
  avifMaxMegapixels: number;
}

/**
 * 0.5 MP (800×600 and smaller: most page images) encodes as AVIF in about 0.45 s of CPU (`npm run bench`: an
 * 800×640 output takes ~0.48 s for the whole request, ~0.9 s per output megapixel, against ~0.1 s as WebP), which
 * bounds a miss; the 12 MP photo of a plain URL would take about 11 s and goes out as WebP.
 */
export const DEFAULT_FORMAT_SETTINGS: FormatSettings = { avif: 'budget', avifMaxMegapixels: 0.5 };

/** The `formats` section of the settings schema (settings-schema.ts). */
export const FORMAT_SETTINGS_SCHEMA: Record<keyof FormatSettings, Check<unknown>> = {
  avif: oneOf(AVIF_CHOICES),
  avifMaxMegapixels: number(0.01, 100),
};
