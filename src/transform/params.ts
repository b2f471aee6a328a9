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
import { distort, gradient, shadow } from './effect-grammars';
import { audioCodec, renditions, seconds, videoCodec } from '../video/grammars';
import { bool, color, coordinate, flag, length, type Length, numberIn, oneOf, type ValueGrammar, withAccepts } from './values';
import { base64Input, layerKindGrammar, offset, plainInput, seconds as layerSeconds } from './layer-grammars';
import { fontName, fontSize, innerAlignment, lineHeight, padding, typography } from './text-grammars';
import type { Layer } from './layers';

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
export type FormatParam = 'auto' | 'webp' | 'jpeg' | 'png' | 'avif' | 'gif' | 'orig' | VideoFormatParam;
/** Output containers of a video; on an image they are a 400 (src/transform/media.ts). */
export type VideoFormatParam = 'mp4' | 'webm';

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
   * (`if`) holds whole steps and chooses which of them run; 'layer' parameters belong to the layer they are
   * written in (between `l-<kind>` and `l-end`), whichever of its steps they appear in.
   */
  scope: 'step' | 'output' | 'block' | 'layer';
  /** One line for the README and help texts. */
  doc: string;
  /** The value that changes nothing (the default); the canonical form leaves it out. */
  neutral?: V;
  /** Set on parameters that only mean something on a video: on an image they are a 400 naming them. */
  media?: 'video';
}

const step = <V>(grammar: ValueGrammar<V>, doc: string, neutral?: V): ParamSpec<V> => ({
  grammar,
  scope: 'step',
  doc,
  neutral,
});
const layer = <V>(grammar: ValueGrammar<V>, doc: string): ParamSpec<V> => ({ grammar, scope: 'layer', doc });
const output = <V>(grammar: ValueGrammar<V>, doc: string, neutral?: V): ParamSpec<V> => ({
  grammar,
  scope: 'output',
  doc,
  neutral,
});

/** A video-only parameter; it applies to the whole output like `q` and `f` (src/video/rules.ts says where it may go). */
const video = <V>(grammar: ValueGrammar<V>, doc: string): ParamSpec<V> => ({ grammar, scope: 'output', doc, media: 'video' });

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
  'e-distort': step(distort, 'perspective (p-) or arc (a-) distortion'),
  'e-shadow': step(shadow, 'drop shadow under the non-transparent pixels'),
  'e-gradient': step(gradient, 'linear gradient laid over the image'),
  r: step(radius, 'rounded corners'),
  b: step(border, 'border'),
  o: step(numberIn(0, 100, { integer: true }), 'opacity in percent (0 transparent, 100 unchanged), of the image or a layer', 100),
  l: {
    grammar: layerKindGrammar as unknown as ValueGrammar<Layer[]>,
    scope: 'block',
    doc: 'layer: l-image,i-<path>,<position>,<steps>,l-end (solid block: l-image,i-ik_canvas,bg-…,w-…,h-…); nests',
  } as ParamSpec<Layer[]>,
  i: layer(plainInput, 'layer input: a file path with @@ for /'),
  ie: layer(base64Input, 'layer input, base64 (wins over i)'),
  lx: layer(offset, 'layer left edge in the parent (N: from the right edge; expressions with bw bh lw lh)'),
  ly: layer(offset, 'layer top edge in the parent (N: from the bottom edge; expressions with bw bh lw lh)'),
  lxc: layer(offset, 'layer centre, horizontally, in the parent (N: from the right edge); instead of lx'),
  lyc: layer(offset, 'layer centre, vertically, in the parent (N: from the bottom edge); instead of ly'),
  lfo: layer(oneOf<Anchor>(ANCHORS), 'layer position: one of nine (default center); ignored when lx, ly, lxc or lyc is given'),
  lso: layer(layerSeconds, 'layer start time: video only, refused on images'),
  leo: layer(layerSeconds, 'layer end time: video only, refused on images'),
  ldu: layer(layerSeconds, 'layer duration: video only, refused on images'),
  al: layer(numberIn(1, 9, { integer: true }), 'alpha of a solid block or a text layer, 1 (faint) to 9'),
  fs: layer(fontSize, 'text layer: font size in px (default 45), or an expression such as bh_mul_0.05'),
  ff: layer(fontName, 'text layer: platform font (default OpenSans) or a .ttf/.otf in the media library (@@ for /)'),
  co: layer(color, 'text layer: text colour (RRGGBB, RRGGBBAA or a name; default black)'),
  ia: layer(innerAlignment, 'text layer: alignment of lines within the box (default center)'),
  pa: layer(padding, 'text layer: padding, CSS order joined by _ (10, 10_20, 10_20_30_40) or an expression'),
  lh: layer(lineHeight, 'text layer: px between baselines of wrapped lines (default the font\'s)'),
  lsp: layer(numberIn(0, 1000, { integer: true }), 'text layer: letter spacing in px'),
  tg: layer(typography, 'text layer: typography b, i, strikethrough, or combinations joined by _'),
  q: output(numberIn(1, 100, { integer: true }), 'quality of lossy formats'),
  f: output(
    oneOf<FormatParam>(['auto', 'webp', 'jpeg', 'png', 'avif', 'gif', 'orig', 'mp4', 'webm'], { jpg: 'jpeg' }),
    'output format (mp4 and webm: videos only)',
    'auto',
  ),
  pr: output(bool, 'progressive JPEG'),
  lo: output(bool, 'lossless WebP / AVIF'),
  md: output(bool, 'keep EXIF metadata'),
  cp: output(bool, 'keep the original ICC colour profile instead of converting to sRGB'),
  orig: output(bool, 'serve the original bytes untouched'),
  di: output(defaultImagePath, 'default image when the file is missing'),
  // Video: re-encoding parameters (a transcoding job) and streaming renditions.
  vc: video(videoCodec, 'video codec (none: audio only)'),
  ac: video(audioCodec, 'audio codec (none: remove the audio)'),
  so: video(seconds, 'start offset in seconds (videos; the frame of ik-thumbnail.jpg)'),
  eo: video(seconds, 'end offset in seconds'),
  du: video(seconds, 'duration in seconds from the start offset'),
  sr: video(renditions, 'streaming renditions of ik-master.m3u8 / ik-master.mpd'),
} as const;

export type ParamKey = keyof typeof PARAMS;
type ValueOf<K extends ParamKey> = (typeof PARAMS)[K]['grammar'] extends ValueGrammar<infer V> ? V : never;

/** A parsed parameter set; which keys may appear depends on scope. */
export type ParamValues = { [K in ParamKey]?: ValueOf<K> };

export const PARAM_KEYS = Object.keys(PARAMS) as ParamKey[];

export function isParamKey(key: string): key is ParamKey {
  return Object.hasOwn(PARAMS, key);
}
