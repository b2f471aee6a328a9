/**
 * edgepix's side of every case: what src/delivery/stages/transform-image.ts does for `tr:w-800` in one output
 * format, minus timing and error mapping, through whatever encoder the codec registry holds for that format.
 * Runtime-neutral, so the workerd benchmark's Worker runs the same code.
 */
import { openUpright } from '../src/codecs/open';
import { probe, uprightSize } from '../src/codecs/probe/index';
import { encoderFor } from '../src/codecs/registry';
import type { OutputFormat } from '../src/codecs/types';
import type { Frame } from '../src/image/frame';
import { decodeHintFor } from '../src/transform/decode-hint';
import { parseTransformation } from '../src/transform/parse';
import { applySteps } from '../src/transform/apply-steps';
import { isFrameSource } from '../src/image/frame-source';

const transformation = parseTransformation('w-800');

export interface Rendered {
  body: Uint8Array;
  frame: Frame;
  largestFrameBytes: number;
}

export const renderWebp = (bytes: Uint8Array, quality = 80): Promise<Rendered> => render(bytes, 'webp', quality);

/** `quality` is ImageKit's `q` (default 80), as the Worker passes it to every encoder. */
export async function render(bytes: Uint8Array, format: OutputFormat, quality = 80): Promise<Rendered> {
  const info = probe(bytes);
  const original = uprightSize(info);
  const hint = decodeHintFor(transformation, original, info.orientation);
  const upright = await openUpright(bytes, info, hint);
  const frame = await applySteps(upright, transformation, original);
  const body = await encoderFor(format).encode(frame, { quality, lossless: false, progressive: false });
  // A streaming decode (a FrameSource) goes straight into the resize: no decoded frame is ever held.
  const largestFrameBytes = Math.max(...[upright, frame].map((f) => ('data' in f ? f.data.byteLength : 0)));
  return { body, frame, largestFrameBytes };
}

/**
 * The same request with JPEG or PNG output, as the delivery stage makes it: the resize's rows streamed into the
 * row encoder (no output frame).
 */
export async function renderAs(bytes: Uint8Array, format: 'jpeg' | 'png', quality = 80): Promise<Uint8Array> {
  const info = probe(bytes);
  const original = uprightSize(info);
  const hint = decodeHintFor(transformation, original, info.orientation);
  const encoder = encoderFor(format);
  const image = await applySteps(await openUpright(bytes, info, hint), transformation, original, { rowsOut: true });
  const options = { quality, lossless: false, progressive: false };
  return isFrameSource(image) ? encoder.encodeRows!(image, options) : encoder.encode(image, options);
}
