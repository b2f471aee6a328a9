import { variantKey } from '../cache/keys';
import { usesCustomFocus } from '../transform/focus-area';
import type { Original } from '../origins/types';
import type { ParsedContext } from './context';
import { negotiatedVariant, negotiates } from './format';
import { THUMBNAIL_SUFFIX } from './video-frame';

/** The variant's name (and ETag): everything the output depends on, the original's etag included. */
export function variantKeyOf(ctx: ParsedContext, original: Original): Promise<string> {
  return variantKey({
    tenantId: ctx.tenantId,
    path: original.path,
    etag: original.etag,
    canonical: [
      ctx.canonical,
      // fo-custom's output follows the stored area, which changes without a new version.
      ...(usesCustomFocus(ctx.transformation) ? [`fo-custom=${original.customCoordinates ?? ''}`] : []),
      ...(ctx.videoFrame ? [`${THUMBNAIL_SUFFIX}@${ctx.videoFrame.offset}`] : []),
    ].join('\n'),
    negotiated: negotiates(ctx.transformation.output.f) ? negotiatedVariant(ctx.acceptClass, ctx.tenant.settings.formats) : '',
  });
}
