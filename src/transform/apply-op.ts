/**
 * The pixel function behind each planned operation. Same-size operations work in place; the others
 * allocate exactly one new frame and let the old one go.
 */
import { resizeFrame } from '../codecs/resize-simd';
import { attentionWindow } from '../image/attention';
import { arc } from '../image/arc';
import { addBorder } from '../image/border';
import { blur } from '../image/blur';
import { contrastStretch } from '../image/contrast';
import { dominantColors } from '../image/dominant';
import { crop, cropRows } from '../image/crop';
import { flatten } from '../image/flatten';
import { flip } from '../image/flip';
import type { Frame, Rgba } from '../image/frame';
import { type FrameSource, isFrameSource, materialize } from '../image/frame-source';
import { gradientFrame } from '../image/gradient';
import { grayscale } from '../image/grayscale';
import { overlayGradient } from '../image/linear-gradient';
import { perspective } from '../image/perspective';
import { dropShadow } from '../image/shadow';
import { pad } from '../image/pad';
import { roundCorners } from '../image/radius';
import { rotate } from '../image/rotate';
import { sharpen, unsharpMask } from '../image/sharpen';
import { fade } from '../image/opacity';
import type { Background } from './grammars';
import type { Op } from './planned-ops';

type OpOf<K extends Op['op']> = Extract<Op, { op: K }>;
/**
 * A row source (a streaming decode) stays one through an extract, which windows its rows, and is read as it
 * comes by a resize; every other operation needs a frame.
 */
type Streams = 'extract' | 'resize';
type Input<K extends Op['op']> = K extends Streams ? Frame | FrameSource : Frame;
type Output<K extends Op['op']> = K extends 'extract' ? Frame | FrameSource : Frame;
type Operation<K extends Op['op']> = (frame: Input<K>, op: OpOf<K>, context: OpContext) => Output<K> | Promise<Output<K>>;

/** What operations need beyond the frame: layers are drawn by the caller's compositor (render-layers.ts). */
export interface OpContext {
  layers?: (frame: Frame, op: OpOf<'layers'>) => Promise<Frame>;
}
const STREAMS: ReadonlySet<Op['op']> = new Set<Streams>(['extract', 'resize']);

export const OPERATIONS: { [K in Op['op']]: Operation<K> } = {
  extract: async (f, o) => {
    // A source is read twice for fo-auto: once into the attention's small preview, once for the window.
    const { x, y } = o.focus === 'auto' ? await attentionWindow(f, o.width, o.height) : o;
    return isFrameSource(f) ? cropRows(f, x, y, o.width, o.height) : crop(f, x, y, o.width, o.height);
  },
  resize: (f, o) => resizeFrame(f, o.width, o.height),
  pad: async (f, o) => pad(f, o.width, o.height, o.left, o.top, await padFill(f, o.fill, o.width, o.height)),
  rotate: (f, o) => rotate(f, o.degrees, o.fill),
  flip: (f, o) => flip(f, o.horizontal, o.vertical),
  blur: (f, o) => blur(f, o.sigma),
  sharpen: (f, o) => sharpen(f, o.level),
  usm: (f, o) => unsharpMask(f, { sigma: o.usm.sigma, amount: o.usm.amount, threshold: o.usm.threshold }),
  grayscale: (f) => grayscale(f),
  contrast: (f) => contrastStretch(f),
  perspective: (f, o) => perspective(f, o.quad),
  arc: (f, o) => arc(f, o.degrees),
  shadow: (f, o) => dropShadow(f, o),
  gradient: (f, o) => overlayGradient(f, o),
  radius: (f, o) => roundCorners(f, o.radius),
  border: (f, o) => addBorder(f, o.width, o.color),
  background: (f, o) => (f.hasAlpha ? flatten(f, o.color) : f),
  layers: (f, o, c) => {
    if (!c.layers) throw new TypeError('layers need a compositor (render-layers.ts)');
    return c.layers(f, o);
  },
  opacity: (f, o) => fade(f, o.percent),
};

/** Operations that only move pixels: a box-filtered frame (Frame.boxFiltered) stays one through them. */
const MOVES_PIXELS: ReadonlySet<Op['op']> = new Set(['extract', 'flip']);

export async function applyOp(image: Frame | FrameSource, op: Op, context: OpContext = {}): Promise<Frame | FrameSource> {
  const input = STREAMS.has(op.op) ? image : await materialize(image);
  const out = await (OPERATIONS[op.op] as Operation<typeof op.op>)(input as never, op as never, context);
  // Same-size operations work in place: `out` may be `frame`. (A source comes only out of an extract.)
  if (!isFrameSource(out) && out.boxFiltered && !MOVES_PIXELS.has(op.op)) out.boxFiltered = false;
  return out;
}

/**
 * What a pad lays the image on: a colour; `bg-dominant` the image's most common colour, `bg-gradient_dominant`
 * a gradient of its 2 or 4 most common (src/image/dominant.ts); `bg-blurred` the image itself, scaled to cover the canvas, centre-cropped and blurred, behind the padded
 * image. Amount `auto` scales the blur with the canvas; brightness shifts it by -255..255.
 */
async function padFill(frame: Frame, fill: Background, width: number, height: number): Promise<Rgba | Frame> {
  if (fill.kind === 'color') return fill.color;
  if (fill.kind === 'dominant') {
    const colours = await dominantColors(frame, fill.colors);
    // Two colours run across the padding: top to bottom when it lies above and below the image.
    return fill.colors === 1 ? colours[0]! : gradientFrame(width, height, colours, width / height < frame.width / frame.height);
  }
  const scale = Math.max(width / frame.width, height / frame.height);
  const cropW = Math.min(frame.width, Math.max(1, Math.round(width / scale)));
  const cropH = Math.min(frame.height, Math.max(1, Math.round(height / scale)));
  const region = crop(frame, (frame.width - cropW) >> 1, (frame.height - cropH) >> 1, cropW, cropH);
  // The canvas is larger than the image on at least one side, so this allocates: blurring it in place never
  // touches the frame that is about to be padded. It is blurred next, so the cheap triangle filter is enough.
  const backdrop = await resizeFrame(region, width, height, { filter: 'triangle' });
  const amount = fill.amount === 'auto' ? Math.min(100, Math.max(10, Math.round(Math.max(width, height) / 10))) : fill.amount;
  blur(backdrop, amount / 2);
  if (fill.brightness !== 0) {
    const d = backdrop.data;
    for (let i = 0; i < d.length; i += 4) {
      d[i] += fill.brightness;
      d[i + 1] += fill.brightness;
      d[i + 2] += fill.brightness;
    }
  }
  return backdrop;
}
