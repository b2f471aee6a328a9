import { variantKey } from '../cache/keys';
import type { Original } from '../origins/types';
import type { ParsedContext } from './context';
import { negotiatedVariant, negotiates } from './format';

/** The variant's name (and ETag): everything the output depends on, the original's etag included. */
export function variantKeyOf(ctx: ParsedContext, original: Original): Promise<string> {
  return variantKey({
    tenantId: ctx.tenantId,
    path: original.path,
    etag: original.etag,
    canonical: ctx.canonical,
    negotiated: negotiates(ctx.transformation.output.f) ? negotiatedVariant(ctx.acceptClass, ctx.tenant.settings.formats) : '',
  });
}
