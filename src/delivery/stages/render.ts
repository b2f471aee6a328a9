import { CodecError } from '../../codecs/errors';
import { decoderFor, encoderFor } from '../../codecs/registry';
import { HttpError } from '../../http/errors';
import { applyOrientation } from '../../image/orient';
import { decodeHintFor } from '../../transform/decode-hint';
import { renderSteps } from '../../transform/render';
import type { Stage } from '../context';
import { chooseOutputFormat } from '../format';
import { keepExif } from '../../codecs/metadata';

/** Decode → orient → run the steps → encode, each timed. The original's bytes are released after decoding. */
export const render: Stage = async (ctx) => {
  const info = ctx.info!;
  const { output } = ctx.transformation;
  const format = chooseOutputFormat(output.f, ctx.acceptClass, info.format);
  const source = ctx.bytes!;
  // The original's size once upright: what `iw`/`ih` mean, and what the decoder may shrink from.
  const original = info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
  const hint = decodeHintFor(ctx.transformation, original, info.orientation);
  const decoded = await ctx.timing.time('decode', async () => {
    try {
      return await decoderFor(info.format)!.decode(source, info, hint);
    } catch (error) {
      if (error instanceof CodecError) {
        throw new HttpError(422, `The original could not be decoded as ${info.format.toUpperCase()}: ${error.reason}`, 'The file is corrupt or truncated, or uses a variant this codec cannot read (see Limits in the README).');
      }
      throw error;
    }
  });
  const metadataSource = output.md === true && format === 'jpeg' ? source : undefined;
  ctx.bytes = undefined;
  const frame = await ctx.timing.time('transform', async () => {
    const oriented = applyOrientation(decoded, info.orientation);
    try {
      return await renderSteps(oriented, ctx.transformation, original);
    } catch (error) {
      // A WASM operation (resize) that failed or trapped: its instance is already discarded.
      if (error instanceof CodecError) {
        throw new HttpError(422, `The image could not be transformed: ${error.message}`, 'Try a smaller output size or a simpler transformation.');
      }
      throw error;
    }
  });
  const encoder = encoderFor(format);
  let body = await ctx.timing.time('encode', async () => {
    try {
      return await encoder.encode(frame, {
        quality: output.q ?? ctx.tenant!.settings.defaultQuality,
        lossless: output.lo === true,
        progressive: output.pr === true,
      });
    } catch (error) {
      // An encoder that refused the frame (WebP's 16383-pixel sides) or trapped: its instance is already discarded.
      if (error instanceof CodecError) {
        throw new HttpError(422, `The image could not be encoded as ${format.toUpperCase()}: ${error.reason}`, 'Try a smaller output size or another format.');
      }
      throw error;
    }
  });
  if (metadataSource) body = keepExif(metadataSource, body);
  ctx.output = { body, contentType: encoder.mimeType, format, width: frame.width, height: frame.height };
};
