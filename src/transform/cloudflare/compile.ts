/**
 * Cloudflare options → ImageKit transformation text, which then goes through the one ImageKit parser: a
 * Cloudflare URL and the ImageKit URL it compiles to have the same canonical form, hence one cache entry.
 * Where Cloudflare means something else than ImageKit the text says what Cloudflare means:
 * - `fit`'s modes map to `c`/`cm` (FITS below); scale-down, Cloudflare's default, never enlarges (`c-at_max`);
 * - `width`/`height` name the axes after `rotate`, and `flip` comes before it, while ImageKit resizes, then
 *   rotates, then flips: the box and the flip axes are swapped for quarter turns;
 * - without `format` Cloudflare keeps the source's format (`f-orig`), `format=jpeg` is progressive;
 * - pixel trims (`trim=t;r;b;l`, `trim.*`) are an extract in a step of their own, before anything else.
 */
import type { Rgba } from '../../image/frame';
import { BadParam } from '../errors';
import { PARAMS } from '../params';
import { formatColor } from '../values';
import type { CfFlip, CloudflareOptions, Fit, Gravity } from './options';

export interface CompiledOptions {
  /** ImageKit steps, `:`-chained. */
  transformation: string;
  /** `format=json`: answer the image's info instead of the image. */
  info: boolean;
  /** `onerror=redirect`: a failed transformation redirects to the untransformed source. */
  redirectOnError: boolean;
}

/** How each fit reads a box of both sides, and one side alone; whether it crops (and so reads gravity). */
const FITS: Record<Fit, { both: string[]; one: string[]; crops: boolean }> = {
  'scale-down': { both: ['c-at_max'], one: ['c-at_max'], crops: false },
  contain: { both: ['c-at_max_enlarge'], one: [], crops: false },
  cover: { both: [], one: [], crops: true },
  crop: { both: ['c-at_max_crop'], one: ['c-at_max'], crops: true },
  pad: { both: ['cm-pad_resize'], one: [], crops: false },
  squeeze: { both: ['c-force'], one: [], crops: false },
};

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 255 };
const FLIPS: Record<CfFlip, { straight: string; turned: string }> = {
  h: { straight: 'fl-h', turned: 'fl-v' },
  v: { straight: 'fl-v', turned: 'fl-h' },
  hv: { straight: 'fl-h_v', turned: 'fl-h_v' },
};
const OUTPUT_FORMATS = {
  auto: [],
  avif: ['f-avif'],
  webp: ['f-webp'],
  jpeg: ['f-jpeg', 'pr-true'],
  'baseline-jpeg': ['f-jpeg'],
  png: ['f-png'],
  json: ['f-orig'],
} as const;

export function compileCloudflare(o: CloudflareOptions): CompiledOptions {
  const steps: string[][] = [trimStep(o)];
  const main: string[] = [];
  if (o.trim === 'border') main.push('t-true');
  const turned = o.rotate === 90 || o.rotate === 270;
  const box = { width: turned ? o.height : o.width, height: turned ? o.width : o.height };
  const fit = o.fit ?? 'scale-down';
  const dpr = o.dpr ?? 1;
  if (box.width && box.height) {
    const point = typeof o.gravity === 'object' ? o.gravity : undefined;
    if (point && fit === 'cover') {
      // Cover, then cut the box out around the point: Cloudflare places the point's fractions of what is cut off.
      const size = { width: Math.round(box.width * dpr), height: Math.round(box.height * dpr) };
      steps.push([`w-${size.width}`, `h-${size.height}`, 'c-at_least']);
      main.push('cm-extract', `w-${size.width}`, `h-${size.height}`, `x-${share('cw', point.x, size.width)}`, `y-${share('ch', point.y, size.height)}`);
    } else {
      main.push(`w-${box.width}`, `h-${box.height}`, ...FITS[fit].both);
      if (FITS[fit].crops && o.gravity !== undefined) main.push(focus(o.gravity));
      if (fit === 'pad' && !o.background) main.push(`bg-${formatColor(WHITE)}`);
      if (dpr !== 1) main.push(`dpr-${dpr}`);
    }
  } else if (box.width || box.height) {
    main.push(box.width ? `w-${box.width}` : `h-${box.height}`, ...FITS[fit].one);
    if (dpr !== 1) main.push(`dpr-${dpr}`);
  }
  if (o.background) main.push(`bg-${formatColor(o.background)}`);
  if (o.rotate) main.push(`rt-${o.rotate}`);
  if (o.flip) main.push(turned ? FLIPS[o.flip].turned : FLIPS[o.flip].straight);
  // ImageKit's bl is a radius too, up to 100: a wider Cloudflare blur is blurred as much as edgepix goes.
  if (o.blur) main.push(`bl-${Math.min(100, Math.max(1, Math.round(o.blur)))}`);
  if (o.sharpen) main.push(sharpen(o.sharpen));
  main.push(...border(o, dpr));
  if (o.quality !== undefined) main.push(`q-${o.quality}`);
  main.push(...(o.format ? OUTPUT_FORMATS[o.format] : ['f-orig']));
  if (o.format === 'webp' && o.quality === 100) main.push('lo-true');
  if (o.metadata === 'keep') main.push('md-true');
  steps.push(main);
  return {
    transformation: steps.filter((s) => s.length).map((s) => s.join(',')).join(':'),
    info: o.format === 'json',
    redirectOnError: o.onerror === 'redirect',
  };
}

/** `trim=t;r;b;l` and `trim.*`: an extract of the source, before anything else. */
function trimStep(o: CloudflareOptions): string[] {
  const sides = typeof o.trim === 'object' ? o.trim : { top: 0, right: 0, bottom: 0, left: 0 };
  const top = o['trim.top'] ?? sides.top;
  const left = o['trim.left'] ?? sides.left;
  const right = o['trim.right'] ?? sides.right;
  const bottom = o['trim.bottom'] ?? sides.bottom;
  const width = o['trim.width'] ? `w-${o['trim.width']}` : right + left ? `w-cw_sub_${right + left}` : '';
  const height = o['trim.height'] ? `h-${o['trim.height']}` : top + bottom ? `h-ch_sub_${top + bottom}` : '';
  if (!width && !height && !top && !left) return [];
  // x and y always: without them an extract narrower than the image would be centred, not cut from the left.
  return ['cm-extract', width, height, `x-${left}`, `y-${top}`].filter(Boolean);
}

/** The offset that leaves `fraction` of the cut-off part before the box: fraction × (current − box). */
function share(variable: 'cw' | 'ch', fraction: number, box: number): string {
  if (fraction === 0) return '0';
  return `${variable}_mul_${fraction}_sub_${Number((fraction * box).toFixed(4))}`;
}

function focus(gravity: Gravity): string {
  if (typeof gravity === 'object') {
    throw new BadParam('gravity', `${gravity.x}x${gravity.y}`, 'a side or auto with fit=crop: coordinates need fit=cover');
  }
  if (gravity === 'auto') {
    // The smart crop is ImageKit's fo-auto: available exactly when the ImageKit table takes it.
    try {
      PARAMS.fo.grammar.parse('auto', 'fo');
    } catch {
      throw new BadParam('gravity', 'auto', 'left, right, top, bottom, center or XxY coordinates (the smart crop is not available)');
    }
  }
  return `fo-${gravity}`;
}

/** Cloudflare's 0–10 (1 recommended after a downscale) onto ImageKit's levels, 1 ↦ 5 (bare e-sharpen). */
function sharpen(strength: number): string {
  const level = Math.max(1, Math.round(strength * 5));
  return level === 5 ? 'e-sharpen' : `e-sharpen-${level}`;
}

/** `border.width` or equal `border.top/right/bottom/left`, times dpr, in `border.color`. */
function border(o: CloudflareOptions, dpr: number): string[] {
  const sides = [o['border.top'], o['border.right'], o['border.bottom'], o['border.left']].filter((w) => w !== undefined);
  const widths = new Set([...(o['border.width'] !== undefined ? [o['border.width']] : []), ...sides]);
  if (widths.size === 0) return [];
  if (widths.size > 1 || (sides.length > 0 && sides.length < 4 && o['border.width'] === undefined)) {
    throw new BadParam('border', [...widths].join(';'), 'one width for every side (border.width, or four equal border.top/right/bottom/left)');
  }
  const width = Math.round([...widths][0]! * dpr);
  if (width === 0) return [];
  if (!o['border.color']) throw new BadParam('border.color', undefined, 'a CSS colour for the border');
  return [`b-${width}_${formatColor(o['border.color'])}`];
}
