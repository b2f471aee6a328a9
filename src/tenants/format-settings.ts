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
 * 0.5 MP (800×600, a typical page image) encodes as AVIF in about 160 ms of CPU here (`npm run bench`,
 * 270–330 ms per MP), which keeps a miss within what a Worker's CPU limit and a user's patience allow; a 12 MP
 * plain URL would take about 3.5 s.
 */
export const DEFAULT_FORMAT_SETTINGS: FormatSettings = { avif: 'budget', avifMaxMegapixels: 0.5 };

/** The `formats` section of the settings schema (settings-schema.ts). */
export const FORMAT_SETTINGS_SCHEMA: Record<keyof FormatSettings, Check<unknown>> = {
  avif: oneOf(AVIF_CHOICES),
  avifMaxMegapixels: number(0.01, 100),
};
