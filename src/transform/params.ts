/**
 * The parameter table: the single place that knows every URL parameter, its value grammar, its bounds and
 * whether it acts on one step or on the output as a whole. The parser, the canonical form and error messages
 * read from it, and a test keeps the README's parameter list naming exactly its keys.
 */
import type { Anchor } from '../image/frame';
import { type ConditionalBlock, conditionGrammar } from './conditional';
import {
  aspectRatio,
  background,
  border,
  defaultImagePath,
  flip,
  radius,
  rotation,
  sharpenLevel,
  trim,
  unsharpMask,
} from './grammars';
import { bool, coordinate, flag, length, type Length, numberIn, oneOf, type ValueGrammar, withAccepts } from './values';

/** The largest pixel value the grammar takes; tenant limits on output size are checked later, per request. */
export const MAX_PX = 16383;

export type Crop =
  | 'maintain_ratio'
  | 'maintain_ratio_no_enlarge'
  | 'force'
  | 'at_least'
  | 'at_max'
  | 'at_max_enlarge'
  | 'at_max_crop';
export type CropMode = 'pad_resize' | 'pad_resize_no_enlarge' | 'extract' | 'pad_extract' | 'pad_extract_no_shrink';
export type FormatParam = 'auto' | 'webp' | 'jpeg' | 'png' | 'avif' | 'gif' | 'orig';

const ANCHORS: readonly Anchor[] = [
  'center',
  'top',
  'left',
  'bottom',
  'right',
  'top_left',
  'top_right',
  'bottom_left',
  'bottom_right',
];

/**
 * Where a crop, an extract or padding is anchored: one of nine positions, `auto` (the most interesting region,
 * src/image/attention.ts) or `custom` (the file's stored customCoordinates). `auto` is the one smart-crop value
 * every grammar compiles to (Cloudflare's `gravity=auto` too), so equivalent URLs share a variant.
 */
export type Focus = Anchor | 'auto' | 'custom';
const FOCI: readonly Focus[] = [...ANCHORS, 'auto', 'custom'];

/** `dpr-2` or `dpr-auto` (the `Sec-CH-DPR` / `DPR` client hint, resolved while parsing). */
export type Dpr = number | 'auto';
const DPR_NUMBER = numberIn(0.1, 5);
const dpr = withAccepts<Dpr>(`${DPR_NUMBER.accepts}, or auto (the Sec-CH-DPR / DPR request header)`, {
  parse: (raw, key) => (raw === 'auto' ? 'auto' : DPR_NUMBER.parse(raw, key)),
  format: (value) => String(value),
});

const FOCUS_CHOICES = oneOf<Focus>(FOCI);
const focus = withAccepts<Focus>(
  `${FOCUS_CHOICES.accepts} (face and object names need a detection model, which edgepix does not run; auto is the nearest)`,
  FOCUS_CHOICES,
);

/**
 * `w-auto`: the width the browser reports in the `Sec-CH-Width` / `Width` client hint, rounded up to a multiple of
 * this, so a page's many layout widths make few variants. Without the hint, `w-auto` leaves the width as it is.
 */
export const AUTO_WIDTH_STEP = 100;
const LENGTH = length(MAX_PX);
const width: ValueGrammar<Length | 'auto'> = {
  accepts: `${LENGTH.accepts}, or auto`,
  parse: (raw, key) => (raw === 'auto' ? 'auto' : LENGTH.parse(raw, key)),
  format: (value) => (value === 'auto' ? 'auto' : LENGTH.format(value)),
};

interface ParamSpec<V> {
  grammar: ValueGrammar<V>;
  /**
   * 'step' parameters act within their chained step; 'output' parameters apply to the whole result; a 'block'
   * (`if`) holds whole steps and chooses which of them run.
   */
  scope: 'step' | 'output' | 'block';
  /** One line for the README and help texts. */
  doc: string;
  /** The value that changes nothing (the default); the canonical form leaves it out. */
  neutral?: V;
}

const step = <V>(grammar: ValueGrammar<V>, doc: string, neutral?: V): ParamSpec<V> => ({
  grammar,
  scope: 'step',
  doc,
  neutral,
});
const output = <V>(grammar: ValueGrammar<V>, doc: string, neutral?: V): ParamSpec<V> => ({
  grammar,
  scope: 'output',
  doc,
  neutral,
});

/** Table order is canonical order: a step's parameters are always written in this order. */
export const PARAMS = {
  if: {
    grammar: conditionGrammar as ValueGrammar<ConditionalBlock>,
    scope: 'block',
    doc: 'conditional steps: if-<condition>, steps, optional if-else and steps, if-end',
  } as ParamSpec<ConditionalBlock>,
  t: step(trim, 'trim a near-uniform border (true = threshold 10)'),
  w: step(width, 'output width (auto: the Sec-CH-Width / Width client hint)'),
  h: step(LENGTH, 'output height'),
  ar: step(aspectRatio, 'aspect ratio, used with only one of w or h'),
  dpr: step(dpr, 'device pixel ratio, multiplies w and h', 1),
  c: step(
    // at_max_crop is edgepix's own: Cloudflare's fit=crop (cover and crop, never enlarging) has no ImageKit value.
    oneOf<Crop>(['maintain_ratio', 'maintain_ratio_no_enlarge', 'force', 'at_least', 'at_max', 'at_max_enlarge', 'at_max_crop']),
    'crop strategy when both w and h are given',
    'maintain_ratio',
  ),
  cm: step(
    oneOf<CropMode>(['pad_resize', 'pad_resize_no_enlarge', 'extract', 'pad_extract', 'pad_extract_no_shrink']),
    'crop mode: pad or extract',
  ),
  fo: step(focus, 'focus: where to anchor a crop, extract or padding (auto: the most interesting region)', 'center'),
  x: step(coordinate(MAX_PX), 'left edge of the extracted area'),
  y: step(coordinate(MAX_PX), 'top edge of the extracted area'),
  xc: step(coordinate(MAX_PX), 'horizontal centre of the extracted area'),
  yc: step(coordinate(MAX_PX), 'vertical centre of the extracted area'),
  bg: step(background, 'background for padding, rotation and transparency'),
  rt: step(rotation, 'rotate clockwise (N for counter-clockwise, auto = EXIF, which is always applied)', 0),
  fl: step(flip, 'flip horizontally, vertically or both'),
  bl: step(numberIn(1, 100, { integer: true }), 'Gaussian blur'),
  'e-sharpen': step(sharpenLevel, 'sharpen'),
  'e-usm': step(unsharpMask, 'unsharp mask'),
  'e-grayscale': step(flag, 'grayscale'),
  'e-contrast': step(flag, 'automatic contrast stretch'),
  r: step(radius, 'rounded corners'),
  b: step(border, 'border'),
  q: output(numberIn(1, 100, { integer: true }), 'quality of lossy formats'),
  f: output(
    oneOf<FormatParam>(['auto', 'webp', 'jpeg', 'png', 'avif', 'gif', 'orig'], { jpg: 'jpeg' }),
    'output format',
    'auto',
  ),
  pr: output(bool, 'progressive JPEG'),
  lo: output(bool, 'lossless WebP / AVIF'),
  md: output(bool, 'keep EXIF metadata'),
  cp: output(bool, 'keep the original ICC colour profile instead of converting to sRGB'),
  orig: output(bool, 'serve the original bytes untouched'),
  di: output(defaultImagePath, 'default image when the file is missing'),
} as const;

export type ParamKey = keyof typeof PARAMS;
type ValueOf<K extends ParamKey> = (typeof PARAMS)[K]['grammar'] extends ValueGrammar<infer V> ? V : never;

/** A parsed parameter set; which keys may appear depends on scope. */
export type ParamValues = { [K in ParamKey]?: ValueOf<K> };

export const PARAM_KEYS = Object.keys(PARAMS) as ParamKey[];

export function isParamKey(key: string): key is ParamKey {
  return Object.hasOwn(PARAMS, key);
}
