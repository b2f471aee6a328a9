import type { ImageFormat, OutputFormat } from '../codecs/types';
import type { FormatSettings } from '../tenants/format-settings';
import type { FormatParam } from '../transform/params';

/**
 * What the client's Accept header allows beyond the classic formats; all f-auto needs to know. `avif-only`
 * names AVIF but not WebP (no browser sends that, but a client may): when AVIF is not chosen it gets the input's
 * format, never a WebP it did not ask for.
 */
export type AcceptClass = 'avif' | 'avif-only' | 'webp' | 'none';

export function acceptClass(accept: string | null): AcceptClass {
  if (!accept) return 'none';
  let avif = false;
  let webp = false;
  for (const range of accept.toLowerCase().split(',')) {
    const [rawType = '', ...params] = range.split(';');
    const type = rawType.trim();
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    if (type === 'image/avif') avif = true;
    if (type === 'image/webp') webp = true;
  }
  if (avif) return webp ? 'avif' : 'avif-only';
  return webp ? 'webp' : 'none';
}

/** Whether the response depends on Accept (and so needs `Vary: Accept` and the class in the cache key). */
export function negotiates(f: FormatParam | undefined): boolean {
  return f === undefined || f === 'auto';
}

/**
 * What f-auto's answer depends on, for the variant key: the Accept class and, when it includes AVIF, the tenant's
 * AVIF choice. Under `budget` the choice also depends on the output's size, which the original (its etag) and
 * the transformation fix, so the budget in the key is enough to make the format part of the variant's name.
 */
export function negotiatedVariant(accept: AcceptClass, formats: FormatSettings): string {
  if (accept !== 'avif' && accept !== 'avif-only') return accept;
  const fallback = accept === 'avif' ? 'webp' : 'none';
  if (formats.avif === 'off') return fallback;
  if (formats.avif === 'always') return accept;
  return `${accept}<=${formats.avifMaxMegapixels}MP`;
}

/**
 * The output format: an explicit `f` wins; `f-auto` (the default) takes AVIF when Accept names it and the tenant's
 * AVIF choice allows it for an output of `outputPixels`, then WebP when Accept names it, else keeps the input's
 * format, as ImageKit and Cloudflare do for a bare `*` / `*`. An animation (`animated`) stays one: f-auto gives
 * animated WebP when Accept names WebP, else GIF (there is no animated AVIF encoder); an explicit still format
 * takes its first frame.
 */
export function chooseOutputFormat(
  f: FormatParam | undefined,
  accept: AcceptClass,
  input: ImageFormat,
  formats: FormatSettings,
  outputPixels: number,
  animated = false,
): OutputFormat {
  // mp4 and webm never reach an image: src/transform/media.ts refuses them first.
  if (f && f !== 'auto' && f !== 'orig' && f !== 'mp4' && f !== 'webm') return f;
  if (animated) return negotiates(f) && (accept === 'avif' || accept === 'webp') ? 'webp' : ANIMATED_AS[input] ?? 'gif';
  if (negotiates(f)) {
    if ((accept === 'avif' || accept === 'avif-only') && avifAllowed(formats, outputPixels)) return 'avif';
    if (accept === 'avif' || accept === 'webp') return 'webp';
  }
  return KEPT_AS[input] ?? (input as OutputFormat);
}

function avifAllowed(formats: FormatSettings, outputPixels: number): boolean {
  if (formats.avif === 'budget') return outputPixels <= formats.avifMaxMegapixels * 1e6;
  return formats.avif === 'always';
}

/**
 * Inputs edgepix cannot write, delivered as: GIF as PNG, HEIC (a photo; only Safari shows it) as JPEG, a
 * rasterised SVG as PNG (lossless, transparency kept). An untransformed HEIC asked for with f-auto so becomes
 * AVIF, WebP or JPEG, whatever the browser accepts (an untransformed SVG is served as it is stored).
 */
const KEPT_AS: Partial<Record<ImageFormat, OutputFormat>> = { gif: 'png', heic: 'jpeg', svg: 'png' };

/** An animation kept in its own format where edgepix writes it (f-orig, or f-auto without WebP): an APNG as GIF. */
const ANIMATED_AS: Partial<Record<ImageFormat, OutputFormat>> = { gif: 'gif', webp: 'webp' };

export const EXTENSIONS: Record<OutputFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif' };
