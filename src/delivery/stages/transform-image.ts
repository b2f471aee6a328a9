import { coalescing } from '../../cache/in-flight';
import { CodecError } from '../../codecs/errors';
import { keepExif } from '../../codecs/metadata';
import { openUpright } from '../../codecs/open';
import { encoderFor } from '../../codecs/registry';
import { HttpError } from '../../http/errors';
import { applySteps } from '../../transform/apply-steps';
import { focusArea } from '../../transform/focus-area';
import { isUntransformed } from '../../transform/parse';
import type { EncodedVariant, ProbedContext, Stage, TransformedContext } from '../context';
import { chooseOutputFormat } from '../format';

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
    return await makeVariant(ctx);
  } finally {
    // The decode and frames are gone; the encoded variant is small.
    ctx.memory.release();
  }
}

async function makeVariant(ctx: ProbedContext): Promise<EncodedVariant> {
  const { info } = ctx;
  const { output } = ctx.transformation;
  const source = ctx.bytes;
  const original = ctx.upright;
  const upright = await ctx.timing.time('decode', () =>
    asUnprocessable(() => openUpright(source, info, ctx.decodeHint), decodeFailure(info.format)),
  );
  // A streaming decode runs here, inside the first resize: its errors (CodecErrors of "<format> decoder", as
  // every decoder names itself) are still reported as the decoder's.
  const frame = await ctx.timing.time('transform', () =>
    asUnprocessable(() => applySteps(upright, ctx.transformation, original, focusArea(ctx.original.customCoordinates)), (error) =>
      error.codec === `${info.format} decoder`
        ? decodeFailure(info.format)
        : { message: 'The image could not be transformed', help: 'Try a smaller output size or a simpler transformation.' },
    ),
  );
  // Chosen once the output's size is known: f-auto's AVIF budget is counted in output pixels.
  const format = chooseOutputFormat(output.f, ctx.acceptClass, info.format, ctx.tenant.settings.formats, frame.width * frame.height);
  const encoder = encoderFor(format);
  let body = await ctx.timing.time('encode', () =>
    asUnprocessable(
      () =>
        encoder.encode(frame, {
          quality: output.q ?? ctx.tenant.settings.defaultQuality,
          lossless: output.lo === true,
          progressive: output.pr === true,
        }),
      { message: `The image could not be encoded as ${format.toUpperCase()}`, help: 'Try a smaller output size or another format.' },
    ),
  );
  if (output.md === true && format === 'jpeg') body = keepExif(source, body);
  const variant = { body, contentType: encoder.mimeType, format, width: frame.width, height: frame.height };
  return originalIfSmaller(ctx, variant);
}

/**
 * A URL that asks for no change never gets more bytes than the stored original in the same format: when the
 * re-encode came out larger, the original's own bytes (and ETag) go out. Only for upright originals, whose
 * pixels show the same without the EXIF orientation the re-encode applied.
 */
function originalIfSmaller(ctx: ProbedContext, variant: EncodedVariant): EncodedVariant {
  const same = variant.format === ctx.info.format && ctx.info.orientation === 1 && isUntransformed(ctx.transformation);
  if (!same || variant.body.byteLength <= ctx.bytes.byteLength) return variant;
  return { ...variant, body: ctx.bytes, etag: ctx.original.etag };
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
