/**
 * An animation through the steps one frame at a time: a frame is read (composited on its canvas), run through
 * the same steps as a still image (planned against the canvas, so every frame comes out the same size), handed
 * to the writer and dropped before the next is read. Only the reader's canvas, one frame in the steps and what
 * the writer has encoded are ever held.
 */
import { CodecError } from '../codecs/errors';
import type { AnimationDecoder, AnimationEncoder, AnimationWriteOptions, AnimationWriter } from '../codecs/animation/types';
import type { Frame } from '../image/frame';
import { materialize } from '../image/frame-source';
import { applyOrientation } from '../image/orient';
import { applySteps } from './apply-steps';
import type { Transformation } from './parse';
import type { Dimensions, Region } from './planned-ops';

export interface AnimationInput {
  decoder: AnimationDecoder;
  bytes: Uint8Array;
  /** EXIF orientation of the file (an animated WebP may carry one), applied to every frame. */
  orientation: number;
}

/** The first frame as shown, for a still output (f-jpg, f-png, f-avif of an animation). */
export async function firstFrame({ decoder, bytes, orientation }: AnimationInput): Promise<Frame> {
  const reader = await decoder.open(bytes);
  try {
    const first = await reader.next();
    if (!first) throw new CodecError(`${decoder.format} decoder`, 'the animation has no frame');
    return applyOrientation(first.frame, orientation);
  } finally {
    reader.close();
  }
}

export async function transformAnimation(
  { decoder, bytes, orientation }: AnimationInput,
  encoder: AnimationEncoder,
  t: Transformation,
  original: Dimensions,
  options: Pick<AnimationWriteOptions, 'quality' | 'lossless'> & { custom?: Region },
): Promise<{ body: Uint8Array; width: number; height: number }> {
  const reader = await decoder.open(bytes);
  let writer: AnimationWriter | undefined;
  let size: Dimensions | undefined;
  try {
    for (let shown = await reader.next(); shown; shown = await reader.next()) {
      // Without rowsOut the steps end in a frame (materialize only narrows the type).
      const frame = await materialize(await applySteps(applyOrientation(shown.frame, orientation), t, original, { custom: options.custom }));
      if (size && (frame.width !== size.width || frame.height !== size.height)) {
        // Only a trim can do that (each frame has its own border).
        throw new CodecError(`${encoder.format} encoder`, 'the steps made frames of different sizes (t- on an animation)');
      }
      if (!writer) {
        size = { width: frame.width, height: frame.height };
        writer = await encoder.begin({ ...size, loop: reader.loop, quality: options.quality, lossless: options.lossless });
      }
      await writer.add({ frame, delay: shown.delay });
    }
    if (!writer || !size) throw new CodecError(`${decoder.format} decoder`, 'the animation has no frame');
    return { body: await writer.finish(), ...size };
  } finally {
    writer?.close();
    reader.close();
  }
}
