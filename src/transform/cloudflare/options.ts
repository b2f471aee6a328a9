/**
 * Cloudflare's `/cdn-cgi/image/<options>/…` grammar as data: every option Cloudflare documents that edgepix
 * serves, its short alias and a bounded value grammar (the same builders as the ImageKit table in params.ts). The
 * options segment is `name=value` pairs separated by commas; anything this table does not know is a 400 naming
 * the option. compile.ts turns the parsed options into ImageKit steps.
 */
import type { Rgba } from '../../image/frame';
import { HttpError } from '../../http/errors';
import { MAX_PX } from '../params';
import { bool, DECIMAL, fail, numberIn, oneOf, required, type ValueGrammar } from '../values';
import { cssColor } from './css-color';

export type Fit = 'scale-down' | 'contain' | 'cover' | 'crop' | 'pad' | 'squeeze';
export type CfFormat = 'auto' | 'avif' | 'webp' | 'jpeg' | 'baseline-jpeg' | 'png' | 'json';
export type Side = 'left' | 'right' | 'top' | 'bottom' | 'center';
/** A side, `auto` (the smart crop), or a point given as fractions of the image, `0.5x0.25`. */
export type Gravity = Side | 'auto' | { x: number; y: number };
export type CfFlip = 'h' | 'v' | 'hv';
export interface TrimSides {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

const PX = numberIn(1, MAX_PX, { integer: true });
const EDGE = numberIn(0, MAX_PX, { integer: true });
const BORDER_PX = numberIn(0, 500, { integer: true });

const GRAVITY_ACCEPTS = 'auto, left, right, top, bottom, center, or XxY coordinates from 0 to 1 (e.g. 0.5x0.25)';
const gravity: ValueGrammar<Gravity> = {
  accepts: GRAVITY_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, GRAVITY_ACCEPTS);
    if (['auto', 'left', 'right', 'top', 'bottom', 'center'].includes(text)) return text as Gravity;
    const [x, y, ...rest] = text.split('x');
    const fraction = (part: string | undefined) => (part !== undefined && DECIMAL.test(part) && Number(part) <= 1 ? Number(part) : Number.NaN);
    const point = { x: fraction(x), y: fraction(y) };
    if (rest.length || !Number.isFinite(point.x) || !Number.isFinite(point.y)) fail(key, raw, GRAVITY_ACCEPTS);
    return point;
  },
  format: (value) => (typeof value === 'string' ? value : `${value.x}x${value.y}`),
};

/** Cloudflare's perceptual levels; it publishes no numbers for them, so these are ours. */
const QUALITY_LEVELS: Record<string, number> = { high: 90, 'medium-high': 80, 'medium-low': 65, low: 50 };
const QUALITY_NUMBER = numberIn(1, 100, { integer: true });
const quality: ValueGrammar<number> = {
  accepts: `${QUALITY_NUMBER.accepts}, or ${Object.keys(QUALITY_LEVELS).join(', ')}`,
  parse: (raw, key) => (raw !== undefined && Object.hasOwn(QUALITY_LEVELS, raw) ? QUALITY_LEVELS[raw]! : QUALITY_NUMBER.parse(raw, key)),
  format: String,
};

const ROTATE_ACCEPTS = '0, 90, 180, 270 or 360';
const rotate: ValueGrammar<number> = {
  accepts: ROTATE_ACCEPTS,
  parse: (raw, key) => (['0', '90', '180', '270', '360'].includes(raw ?? '') ? Number(raw) % 360 : fail(key, raw, ROTATE_ACCEPTS)),
  format: String,
};

const TRIM_ACCEPTS = 'border, or four pixel counts top;right;bottom;left (e.g. 20;30;20;0)';
const trim: ValueGrammar<'border' | TrimSides> = {
  accepts: TRIM_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, TRIM_ACCEPTS);
    if (text === 'border') return 'border';
    const parts = text.split(';');
    if (parts.length !== 4) fail(key, raw, TRIM_ACCEPTS);
    const [top, right, bottom, left] = parts.map((p) => EDGE.parse(p, key)) as [number, number, number, number];
    return { top, right, bottom, left };
  },
  format: (v) => (v === 'border' ? v : `${v.top};${v.right};${v.bottom};${v.left}`),
};

interface OptionSpec<V> {
  grammar: ValueGrammar<V>;
  /** Cloudflare's abbreviation, when it has one. */
  alias?: string;
}
const option = <V>(grammar: ValueGrammar<V>, alias?: string): OptionSpec<V> => ({ grammar, alias });

export const OPTIONS = {
  width: option(PX, 'w'),
  height: option(PX, 'h'),
  fit: option(oneOf<Fit>(['scale-down', 'contain', 'cover', 'crop', 'pad', 'squeeze'])),
  gravity: option(gravity, 'g'),
  quality: option(quality, 'q'),
  format: option(oneOf<CfFormat>(['auto', 'avif', 'webp', 'jpeg', 'baseline-jpeg', 'png', 'json']), 'f'),
  dpr: option(numberIn(0.1, 5)),
  sharpen: option(numberIn(0, 10)),
  blur: option(numberIn(0, 250)),
  rotate: option(rotate),
  flip: option(oneOf<CfFlip>(['h', 'v', 'hv'], { vh: 'hv' })),
  background: option(cssColor),
  trim: option(trim),
  'trim.top': option(EDGE),
  'trim.right': option(EDGE),
  'trim.bottom': option(EDGE),
  'trim.left': option(EDGE),
  'trim.width': option(PX),
  'trim.height': option(PX),
  metadata: option(oneOf(['keep', 'copyright', 'none'] as const)),
  anim: option(bool),
  onerror: option(oneOf(['redirect'] as const)),
  'border.width': option(BORDER_PX),
  'border.top': option(BORDER_PX),
  'border.right': option(BORDER_PX),
  'border.bottom': option(BORDER_PX),
  'border.left': option(BORDER_PX),
  'border.color': option<Rgba>(cssColor),
} as const;

export type OptionKey = keyof typeof OPTIONS;
type ValueOf<K extends OptionKey> = (typeof OPTIONS)[K]['grammar'] extends ValueGrammar<infer V> ? V : never;
export type CloudflareOptions = { [K in OptionKey]?: ValueOf<K> };

/** Cloudflare options edgepix knows but does not serve: named so the 400 says so rather than "unknown". */
export const UNSUPPORTED: Record<string, string> = {
  brightness: 'colour adjustments are not supported',
  contrast: 'colour adjustments are not supported',
  gamma: 'colour adjustments are not supported',
  saturation: 'colour adjustments are not supported',
  compression: 'edgepix always encodes at full effort',
  zoom: 'face detection is not supported',
  segment: 'background removal is not supported',
  'slow-connection-quality': 'network hints are not read',
  'origin-auth': 'sources are the tenant\'s own files, fetched with its own origin credentials',
  draw: 'overlays are not supported',
};

const ALIASES = new Map<string, OptionKey>(
  (Object.keys(OPTIONS) as OptionKey[]).flatMap((key) => {
    const alias = (OPTIONS[key] as OptionSpec<unknown>).alias;
    return alias ? [[key, key], [alias, key]] : [[key, key]];
  }),
);

const HELP = 'Options are name=value pairs separated by commas, as Cloudflare documents them (width=400,fit=cover); see the README.';
const MAX_OPTIONS_LENGTH = 2048;

/** Parses the raw (still percent-encoded) options segment; a comma inside a value must be written %2C. */
export function parseCloudflareOptions(segment: string): CloudflareOptions {
  if (segment.length > MAX_OPTIONS_LENGTH) throw new HttpError(400, `The options are longer than ${MAX_OPTIONS_LENGTH} characters`, HELP);
  const options: CloudflareOptions = {};
  const pairs = segment.split(',').filter((p) => p !== '');
  if (pairs.length === 0) throw new HttpError(400, 'A /cdn-cgi/image/ URL needs at least one option', HELP);
  for (const pair of pairs) {
    const text = decodeOption(pair);
    const eq = text.indexOf('=');
    const name = eq === -1 ? text : text.slice(0, eq);
    const key = ALIASES.get(name);
    if (!key) {
      const why = Object.hasOwn(UNSUPPORTED, name) ? `: ${UNSUPPORTED[name]}` : '';
      throw new HttpError(400, `Unsupported option "${name}"${why}. Accepted options: ${[...ALIASES.keys()].join(', ')}.`, HELP);
    }
    if (options[key] !== undefined) throw new HttpError(400, `The option "${key}" is given more than once`, HELP);
    const value: unknown = (OPTIONS[key].grammar as ValueGrammar<unknown>).parse(eq === -1 ? undefined : text.slice(eq + 1), key);
    (options as Record<string, unknown>)[key] = value;
  }
  return options;
}

function decodeOption(pair: string): string {
  try {
    return decodeURIComponent(pair);
  } catch {
    throw new HttpError(400, `Malformed percent-encoding in the option "${pair}"`, HELP);
  }
}
