import { CodecError } from '../../codecs/errors';
import { keepExif } from '../../codecs/metadata';
import { decoderFor, encoderFor } from '../../codecs/registry';
import { HttpError } from '../../http/errors';
import { applyOrientation } from '../../image/orient';
import { decodeHintFor } from '../../transform/decode-hint';
import { renderSteps } from '../../transform/render';
import type { Stage } from '../context';
import { chooseOutputFormat } from '../format';

/** Decode → orient → run the steps → encode, each timed. The original's bytes are released after decoding. */
export const render: Stage = async (ctx) => {
  const info = ctx.info!;
  const { output } = ctx.transformation;
  const format = chooseOutputFormat(output.f, ctx.acceptClass, info.format);
  const source = ctx.bytes!;
  // The original's size once upright: what `iw`/`ih` mean, and what the decoder may shrink from.
  const original = info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
  const hint = decodeHintFor(ctx.transformation, original, info.orientation);
  const decoded = await ctx.timing.time('decode', () =>
    asUnprocessable(
      () => decoderFor(info.format)!.decode(source, info, hint),
      `The original could not be decoded as ${info.format.toUpperCase()}`,
      'The file is corrupt or truncated, or uses a variant this codec cannot read (see Limits in the README).',
    ),
  );
  const metadataSource = output.md === true && format === 'jpeg' ? source : undefined;
  ctx.bytes = undefined;
  const frame = await ctx.timing.time('transform', () =>
    asUnprocessable(
      () => renderSteps(applyOrientation(decoded, info.orientation), ctx.transformation, original),
      'The image could not be transformed',
      'Try a smaller output size or a simpler transformation.',
    ),
  );
  const encoder = encoderFor(format);
  let body = await ctx.timing.time('encode', () =>
    asUnprocessable(
      () =>
        encoder.encode(frame, {
          quality: output.q ?? ctx.tenant!.settings.defaultQuality,
          lossless: output.lo === true,
          progressive: output.pr === true,
        }),
      `The image could not be encoded as ${format.toUpperCase()}`,
      'Try a smaller output size or another format.',
    ),
  );
  if (metadataSource) body = keepExif(metadataSource, body);
  ctx.output = { body, contentType: encoder.mimeType, format, width: frame.width, height: frame.height };
};

/**
 * A codec that refused the data or trapped (its instance is already discarded) is the input's problem, not
 * the server's: a 422 that says which step failed and why.
 */
async function asUnprocessable<T>(work: () => Promise<T>, message: string, help: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CodecError) throw new HttpError(422, `${message}: ${error.reason}`, help);
    throw error;
  }
}
