import { probe, uprightSize } from '../../codecs/probe';
import { ProbeError } from '../../codecs/probe/errors';
import { svgRasterSize } from '../../codecs/probe/svg';
import { animationPeakBytes, decodeBudgetFor, decodePeakBytes, ROW_DECODE_BYTES } from '../../codecs/memory-budget';
import { outputLimit } from '../../codecs/output-limits';
import { animationDecoderFor, animationEncoderFor, decoderFor } from '../../codecs/registry';
import { HttpError } from '../../http/errors';
import { decodeHintFor, vectorHintFor } from '../../transform/decode-hint';
import { focusArea } from '../../transform/focus-area';
import { isUntransformed } from '../../transform/parse';
import { largestFrame, plannedSizes } from '../../transform/plan';
import { checkAnimationLimits } from '../animation-limits';
import type { ProbedContext, ReadContext, Stage } from '../context';
import { chooseOutputFormat } from '../format';
import { variantHeaders } from '../headers';

/**
 * Reads only the header and enforces the tenant's limits before any decode: a 32 KB file that declares
 * 16384×16384 pixels is refused here in microseconds instead of allocating a gigabyte.
 */
export const probeAndLimit: Stage<ReadContext, ProbedContext> = async (ctx) => {
  const { bytes } = ctx;
  const limits = ctx.tenant.settings.limits;
  let info;
  try {
    info = probe(bytes);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    if (isPassThrough(ctx)) return passThrough(ctx);
    // The detail says what is wrong with the header (an SVG root without a size, a truncated chunk).
    throw new HttpError(422, `The original cannot be read as an image: ${error.message}`, SUPPORTED_HELP);
  }
  // GIF, WebP and APNG animations are read frame by frame (src/codecs/animation/).
  const animated = info.frames > 1 && animationDecoderFor(info.format) !== undefined;
  const unsupported = !decoderFor(info.format);
  // Untransformed, an animation is served as it is: nothing to gain from re-encoding every frame.
  if ((unsupported || animated) && isPassThrough(ctx)) return passThrough(ctx);
  if (unsupported) {
    const kind = `${info.frames > 1 ? 'Animated ' : ''}${info.format.toUpperCase()}`;
    throw new HttpError(422, `${kind} originals cannot be transformed`, SUPPORTED_HELP);
  }
  // Untransformed, an SVG is served as it is stored (under the sandbox policy), whatever type it was stored with.
  if (info.format === 'svg' && isPassThrough(ctx)) return passThrough(ctx);
  const oriented = uprightSize(info);
  const custom = focusArea(ctx.original.customCoordinates);
  // An SVG is drawn at the size the steps need, so its limit is that raster's, not its declared size's.
  const svgHint = info.format === 'svg' ? vectorHintFor(ctx.transformation, oriented, custom) : undefined;
  const decoded = svgHint ? svgRasterSize(info, svgHint) : info;
  const megapixels = (decoded.width * decoded.height) / 1e6;
  if (megapixels > limits.maxInputMegapixels) {
    throw new HttpError(
      422,
      `The original ${svgHint ? 'would be drawn at' : 'declares'} ${decoded.width}×${decoded.height} pixels (${megapixels.toFixed(1)} MP); this tenant's limit (maxInputMegapixels) is ${limits.maxInputMegapixels} MP`,
      svgHint
        ? 'Ask for a smaller size (w/h): an SVG is drawn at the size the transformation needs.'
        : 'Resize the original before uploading, or raise limits.maxInputMegapixels in the tenant settings.',
    );
  }
  const decodeHint = svgHint ?? decodeHintFor(ctx.transformation, oriented, info.orientation, custom);
  // An animation's frames are read by its own decoder, whatever the output (animationPeakBytes, below).
  const peak = animated ? null : decodePeakBytes(bytes, info, decodeHint);
  const budget = decodeBudgetFor(info.format);
  if (peak !== null && peak > budget) {
    const mb = (bytes: number) => Math.round(bytes / 1e6);
    throw new HttpError(
      422,
      `Decoding this ${info.width}×${info.height} ${info.format.toUpperCase()} would take about ${mb(peak)} MB; one request may use ${mb(budget)} MB of the isolate's memory${info.format === 'svg' ? ' to draw an SVG' : ''}`,
      'Ask for a smaller output (WebP decodes at a reduced scale for small outputs), serve the file untouched with orig-true, or store it as JPEG or PNG, which decode in rows.',
    );
  }
  const sizes = plannedSizes(ctx.transformation, oriented, custom);
  const output = sizes[sizes.length - 1];
  const largest = Math.max(output.width, output.height);
  if (largest > limits.maxOutputDimension) {
    throw new HttpError(
      422,
      `The requested output is ${output.width}×${output.height}; this tenant's limit (maxOutputDimension) is ${limits.maxOutputDimension} pixels per side`,
      'Ask for a smaller w/h/dpr, or raise limits.maxOutputDimension in the tenant settings.',
    );
  }
  const biggest = sizes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const outputMegapixels = (biggest.width * biggest.height) / 1e6;
  if (outputMegapixels > limits.maxOutputMegapixels) {
    throw new HttpError(
      422,
      `The transformation produces a ${biggest.width}×${biggest.height} image (${outputMegapixels.toFixed(1)} MP); this tenant's limit (maxOutputMegapixels) is ${limits.maxOutputMegapixels} MP`,
      'Ask for a smaller w/h/dpr, or raise limits.maxOutputMegapixels in the tenant settings.',
    );
  }
  // Chosen from the planned output: f-auto's AVIF budget counts output pixels, and transformImage must know its
  // encoder before any row is made.
  // A video's frame arrives as PNG but is a `.jpg` thumbnail: kept as JPEG when nothing else is negotiated.
  const kept = ctx.media.kind === 'thumbnail' ? 'jpeg' : info.format;
  const format = chooseOutputFormat(ctx.transformation.output.f, ctx.acceptClass, kept, ctx.tenant.settings.formats, output.width * output.height, animated);
  // Every frame is decoded only for an animated output; a still one takes the first frame.
  if (animated && animationEncoderFor(format)) checkAnimationLimits(info, limits);
  const encodeLimit = outputLimit(format, ctx.transformation.output.pr === true);
  const finalMegapixels = (output.width * output.height) / 1e6;
  if (finalMegapixels > encodeLimit.megapixels) {
    throw new HttpError(
      422,
      `The requested output is ${output.width}×${output.height} (${finalMegapixels.toFixed(1)} MP); ${encodeLimit.name} output is limited to ${encodeLimit.megapixels} MP, what its encoder can make within the memory a request may use`,
      'Ask for a smaller w/h/dpr, or another format (baseline JPEG and PNG go up to 24 MP).',
    );
  }
  // What admission to the isolate's memory counts: the decode, and the largest frame the steps will make.
  const frame = largestFrame(ctx.transformation, oriented, custom);
  const decoding = animated ? animationPeakBytes(bytes, info, output) : (peak ?? bytes.byteLength + ROW_DECODE_BYTES);
  const memoryEstimate = decoding + frame.width * frame.height * 4;
  return Object.assign(ctx, { info, upright: oriented, decodeHint, memoryEstimate, outputFormat: format, focus: custom });
};

const SUPPORTED_HELP =
  'Transformations read JPEG, PNG, WebP, AVIF, HEIC and GIF images, GIF, WebP and APNG animations frame by frame, and SVG documents (rasterised); other files are served only untransformed.';

/** Files edgepix cannot decode are still served as they are when nothing asks to change them. */
const isPassThrough = (ctx: ReadContext): boolean => isUntransformed(ctx.transformation);

function passThrough(ctx: ReadContext): Response {
  ctx.timing.cache = 'bypass';
  const headers = variantHeaders(ctx, ctx.original.contentType ?? 'application/octet-stream');
  headers.delete('Vary');
  headers.set('Content-Length', String(ctx.bytes.length));
  return new Response(ctx.bytes, { headers });
}
