import { writeVariant } from '../../cache/variant-store';
import type { Stage, TransformedContext } from '../context';
import { EXTENSIONS } from '../format';
import { variantHeaders } from '../headers';
import { describeVariant } from '../variant-shape';
import { deliveryMedia } from '../media';

/** Answers with the transformed variant and stores it in both cache tiers after the response has gone out. */
export const respond: Stage<TransformedContext> = async (ctx) => {
  const { output } = ctx;
  const at = { tenantId: ctx.tenantId, path: ctx.original.path, key: ctx.variantKey, description: await describeVariant(ctx) };
  ctx.exec.waitUntil(
    writeVariant(deliveryMedia(ctx), at, output.body, output.contentType, ctx.tenant.settings.cacheMaxAgeSeconds, {
      etag: output.etag,
    }).catch((error) => console.error('variant store failed', error)),
  );
  const headers = variantHeaders(ctx, output.contentType, EXTENSIONS[output.format]);
  if (output.etag) headers.set('ETag', `"${output.etag}"`);
  // A known length lets delivery count the bytes without a counting stream (src/delivery/bandwidth.ts).
  headers.set('Content-Length', String(output.body.length));
  return new Response(output.body, { headers });
};
