import type { ImageFormat, OutputFormat } from '../codecs/types';
import type { FormatParam } from '../transform/params';

/** What the client's Accept header allows beyond the classic formats; all f-auto needs to know. */
export type AcceptClass = 'avif' | 'webp' | 'none';

export function acceptClass(accept: string | null): AcceptClass {
  if (!accept) return 'none';
  let webp = false;
  for (const range of accept.toLowerCase().split(',')) {
    const [rawType = '', ...params] = range.split(';');
    const type = rawType.trim();
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    if (type === 'image/avif') return 'avif';
    if (type === 'image/webp') webp = true;
  }
  return webp ? 'webp' : 'none';
}

/** Whether the response depends on Accept (and so needs `Vary: Accept` and the class in the cache key). */
export function negotiates(f: FormatParam | undefined): boolean {
  return f === undefined || f === 'auto';
}

/**
 * The output format: an explicit `f` wins; `f-auto` (the default) takes AVIF, then WebP, when Accept names
 * them, else keeps the input's format (KEPT_AS), as ImageKit and Cloudflare do for a bare `*` / `*`.
 */
export function chooseOutputFormat(f: FormatParam | undefined, accept: AcceptClass, input: ImageFormat): OutputFormat {
  if (f && f !== 'auto' && f !== 'orig') return f;
  if (negotiates(f) && accept !== 'none') return accept;
  return KEPT_AS[input] ?? (input as OutputFormat);
}

/**
 * Inputs edgepix cannot write, delivered as: GIF as PNG, HEIC (a photo; only Safari shows it) as JPEG. An
 * untransformed HEIC asked for with f-auto so becomes AVIF, WebP or JPEG, whatever the browser accepts.
 */
const KEPT_AS: Partial<Record<ImageFormat, OutputFormat>> = { gif: 'png', heic: 'jpeg' };

export const EXTENSIONS: Record<OutputFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif' };
