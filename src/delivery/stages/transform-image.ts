import { coalescing } from '../../cache/in-flight';
import { CodecError } from '../../codecs/errors';
import { keptIcc } from '../../codecs/colour/to-srgb';
import { readExif } from '../../codecs/metadata';
import { openUpright } from '../../codecs/open';
import type { AnimationEncoder } from '../../codecs/animation/types';
import { animationDecoderFor, animationEncoderFor, encoderFor } from '../../codecs/registry';
import { HttpError } from '../../http/errors';
import { type AnimationInput, firstFrame, transformAnimation } from '../../transform/apply-animation';
import { applySteps } from '../../transform/apply-steps';
import type { EncodeOptions } from '../../codecs/types';
import { isFrameSource } from '../../image/frame-source';
import { isUntransformed } from '../../transform/parse';
import { layerCompositor } from '../../transform/render-layers';
import { countTransformation } from '../bandwidth';
import { layerSources } from '../layers/sources';
import type { EncodedVariant, ProbedContext, Stage, TransformedContext } from '../context';

/** Variants being made in this isolate: concurrent misses for one variant make it once (the others wait). */
const making = coalescing<EncodedVariant>();

/**
 * Decode → orient → run the steps → encode, each timed. A streaming decode (see openUpright) is timed as part of
 * the transform, where its rows are read.
 */
export const transformImage: Stage<ProbedContext, TransformedContext> = async (ctx) =>
  Object.assign(ctx, { output: await making(ctx.variantKey, () => admitted(ctx)) });

/** Made once the isolate has memory for it beyond the original it already holds (src/delivery/memory-gate.ts). */
async function admitted(ctx: ProbedContext): Promise<EncodedVariant> {
  await ctx.memory.take(ctx.memoryEstimate - ctx.bytes.byteLength);
  try {
    const variant = await makeVariant(ctx);
    // Usage counts what a URL's transformation made, once, however many requests waited for it. A URL without
    // one (the file re-encoded as it is) is not counted, as the quota's block does not refuse it either.
    if (!isUntransformed(ctx.transformation)) countTransformation({ env: ctx.env, exec: ctx.exec, tenantId: ctx.tenantId });
    return variant;
  } finally {
    // The decode and frames are gone; the encoded variant is small.
    ctx.memory.release();
  }
}

async function makeVariant(ctx: ProbedContext): Promise<EncodedVariant> {
  const { info, outputFormat: format } = ctx;
  const { output } = ctx.transformation;
  const source = ctx.bytes;
  const original = ctx.upright;
  // An animation is read by its own decoder: every frame for an animated output, else its first frame.
  const decoder = info.frames > 1 ? animationDecoderFor(info.format) : undefined;
  const animation = decoder && { decoder, bytes: source, orientation: info.orientation };
  const animationEncoder = animationEncoderFor(format);
  if (animation && animationEncoder) return makeAnimation(ctx, animation, animationEncoder);
  const upright = await ctx.timing.time('decode', () =>
    asUnprocessable(
      () => (animation ? firstFrame(animation) : openUpright(source, info, ctx.decodeHint, { keepIcc: output.cp === true })),
      decodeFailure(info.format),
    ),
  );
  // cp-true keeps an RGB profile unapplied (openUpright), so the output must carry it; md-true carries EXIF.
  const metadata = {
    icc: output.cp === true ? keptIcc(info) : undefined,
    exif: output.md === true ? readExif(source, info.format) : undefined,
  };
  const encoder = encoderFor(format);
  // A streaming decode runs here, inside the first resize: its errors (CodecErrors of "<format> decoder", as
  // every decoder names itself) are still reported as the decoder's. With a row encoder and a resize last, the
  // result is the resize's rows, made (decode and resize included) while they are encoded.
  const image = await ctx.timing.time('transform', () =>
    asUnprocessable(
      () =>
        applySteps(upright, ctx.transformation, original, {
          rowsOut: encoder.encodeRows !== undefined,
          custom: ctx.focus,
          layers: layerCompositor(layerSources(ctx.layerImages ?? new Map(), ctx.textFonts).open),
        }),
      failureOf(info.format, TRANSFORM_FAILURE),
    ),
  );
  const options: EncodeOptions = { ...qualityOf(ctx), progressive: output.pr === true, metadata };
  const encodeFailure = encodeFailureOf(format);
  // Rows streamed into the encoder are decoded and resized here: each codec's errors keep their own wording.
  const body = await ctx.timing.time('encode', () =>
    asUnprocessable(
      () => (isFrameSource(image) ? encoder.encodeRows!(image, options) : encoder.encode(image, options)),
      (error) => (error.codec.endsWith('encoder') ? encodeFailure : failureOf(info.format, TRANSFORM_FAILURE)(error)),
    ),
  );
  return originalIfSmaller(ctx, { body, contentType: encoder.mimeType, format, width: image.width, height: image.height });
}

const qualityOf = (ctx: ProbedContext) => ({
  quality: ctx.transformation.output.q ?? ctx.tenant.settings.defaultQuality,
  lossless: ctx.transformation.output.lo === true,
});

const encodeFailureOf = (format: string): Failure => ({
  message: `The image could not be encoded as ${format.toUpperCase()}`,
  help: 'Try a smaller output size or another format.',
});

/** Frames decoded, transformed and encoded one at a time (src/transform/apply-animation.ts), timed as one. */
async function makeAnimation(ctx: ProbedContext, animation: AnimationInput, encoder: AnimationEncoder): Promise<EncodedVariant> {
  const { info, outputFormat: format } = ctx;
  const made = await ctx.timing.time('transform', () =>
    asUnprocessable(
      () => transformAnimation(animation, encoder, ctx.transformation, ctx.upright, { ...qualityOf(ctx), custom: ctx.focus }),
      (error) => (error.codec.endsWith('encoder') ? encodeFailureOf(format) : failureOf(info.format, TRANSFORM_FAILURE)(error)),
    ),
  );
  return originalIfSmaller(ctx, { body: made.body, contentType: encoder.mimeType, format, width: made.width, height: made.height });
}

/**
 * A URL that asks for no change never gets more bytes than the stored original in the same format: when the
 * re-encode came out larger, the original's own bytes (and ETag) go out. Only for upright originals, whose
 * pixels show the same without the EXIF orientation the re-encode applied.
 */
function originalIfSmaller(ctx: ProbedContext, variant: EncodedVariant): EncodedVariant {
  // A video's frame is no stored original: the variant is always the answer.
  const same = variant.format === ctx.info.format && ctx.info.orientation === 1 && isUntransformed(ctx.transformation) && ctx.media.kind !== 'thumbnail';
  if (!same || variant.body.byteLength <= ctx.bytes.byteLength) return variant;
  return { ...variant, body: ctx.bytes, etag: ctx.original.etag };
}

const TRANSFORM_FAILURE: Failure = {
  message: 'The image could not be transformed',
  help: 'Try a smaller output size or a simpler transformation.',
};

/** `failure`, unless the error is the decoder's (a streaming decode runs inside the steps or the encode). */
function failureOf(format: string, failure: Failure): (error: CodecError) => Failure {
  return (error) => (error.codec === `${format} decoder` ? decodeFailure(format) : failure);
}

interface Failure {
  message: string;
  help: string;
}

const decodeFailure = (format: string): Failure => ({
  message: `The original could not be decoded as ${format.toUpperCase()}`,
  help: 'The file is corrupt or truncated, or uses a variant this codec cannot read (see Limits in the README).',
});

/**
 * A codec that refused the data or trapped (its instance is already discarded) is the input's problem, not
 * the server's: a 422 that says which step failed and why.
 */
async function asUnprocessable<T>(work: () => Promise<T>, failure: Failure | ((error: CodecError) => Failure)): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    const { message, help } = typeof failure === 'function' ? failure(error) : failure;
    throw new HttpError(422, `${message}: ${error.reason}`, help);
  }
}
