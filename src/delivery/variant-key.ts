import { variantKey } from '../cache/keys';
import { usesCustomFocus } from '../transform/focus-area';
import type { Original } from '../origins/types';
import type { ParsedContext } from './context';
import { negotiatedVariant, negotiates } from './format';

/** The variant's name (and ETag): everything the output depends on, the original's etag included. */
export function variantKeyOf(ctx: ParsedContext, original: Original): Promise<string> {
  // A virtual file (`/ik-master.m3u8`, `/ik-thumbnail.jpg`) is another output of the same original.
  const suffix = ctx.media.suffix ? `\n${ctx.media.suffix}` : '';
  return variantKey({
    tenantId: ctx.tenantId,
    path: original.path,
    etag: original.etag,
    // fo-custom's output follows the stored area, which changes without a new version.
    canonical: (usesCustomFocus(ctx.transformation) ? `${ctx.canonical}\nfo-custom=${original.customCoordinates ?? ''}` : ctx.canonical) + suffix,
    negotiated: negotiates(ctx.transformation.output.f) ? negotiatedVariant(ctx.acceptClass, ctx.tenant.settings.formats) : '',
  });
}
