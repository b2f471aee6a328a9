import { variantKey } from '../cache/keys';
import { usesCustomFocus } from '../transform/focus-area';
import type { Original } from '../origins/types';
import type { ParsedContext } from './context';
import { negotiatedVariant, negotiates } from './format';

/** The variant's name (and ETag): everything the output depends on, the original's etag included. */
export function variantKeyOf(ctx: ParsedContext, original: Original): Promise<string> {
  return variantKey({
    tenantId: ctx.tenantId,
    path: original.path,
    etag: original.etag,
    canonical: identityText(ctx, original),
    negotiated: negotiates(ctx.transformation.output.f) ? negotiatedVariant(ctx.acceptClass, ctx.tenant.settings.formats) : '',
  });
}

/** The canonical text, plus what the output follows that the text does not say: the focus area, the layer files. */
export function identityText(ctx: ParsedContext, original: Original): string {
  // fo-custom's output follows the stored area, which changes without a new version.
  const focus = usesCustomFocus(ctx.transformation) ? `\nfo-custom=${original.customCoordinates ?? ''}` : '';
  // A layer's file replaced under the same path changes the output: its version is part of the name.
  const layers = ctx.layerIdentity ? `\nlayers=${ctx.layerIdentity}` : '';
  return `${ctx.canonical}${focus}${layers}`;
}
