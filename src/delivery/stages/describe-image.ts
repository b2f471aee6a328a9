import { probe, uprightSize } from '../../codecs/probe';
import { ProbeError } from '../../codecs/probe/errors';
import { MIME_TYPES } from '../../codecs/types';
import { HttpError } from '../../http/errors';
import { animationDecoderFor } from '../../codecs/registry';
import { focusArea } from '../../transform/focus-area';
import { plannedSizes } from '../../transform/plan';
import type { ResolvedContext, Stage } from '../context';
import { chooseOutputFormat } from '../format';
import { variantHeaders } from '../headers';
import { readOriginalBytes } from './read-original';

/** What `format=json` / `?ik-info=true` answers (README, "Image info"). */
export interface ImageDescription {
  /** What the transformation would output: size after every step (a trim `t` is not counted) and its type. */
  width: number;
  height: number;
  format: string;
  original: { width: number; height: number; format: string; fileSize: number };
}

/**
 * `format=json` (Cloudflare's door) or `?ik-info=true`: the image's info instead of the image. Only the header is
 * read and the steps are planned on its size, so nothing is decoded and nothing is cached.
 */
export const describeImage: Stage<ResolvedContext> = async (ctx) => {
  if (!ctx.url.info) return;
  const { original } = ctx;
  ctx.timing.cache = 'bypass';
  const bytes = await readOriginalBytes(ctx, original);
  let info;
  try {
    info = probe(bytes);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    throw new HttpError(422, `The original cannot be read as an image: ${error.reason}`, 'Image info is answered for JPEG, PNG, WebP, AVIF and GIF files.');
  }
  const upright = uprightSize(info);
  const sizes = plannedSizes(ctx.transformation, upright, focusArea(original.customCoordinates));
  const output = sizes[sizes.length - 1]!;
  const description: ImageDescription = {
    width: output.width,
    height: output.height,
    format: MIME_TYPES[chooseOutputFormat(ctx.transformation.output.f, ctx.acceptClass, info.format, ctx.tenant.settings.formats, output.width * output.height, info.frames > 1 && animationDecoderFor(info.format) !== undefined)],
    original: { ...upright, format: MIME_TYPES[info.format], fileSize: bytes.byteLength },
  };
  const headers = variantHeaders(ctx, 'application/json; charset=utf-8');
  headers.delete('Content-Disposition');
  return new Response(JSON.stringify(description), { headers });
};
