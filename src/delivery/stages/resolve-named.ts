import { HttpError } from '../../http/errors';
import { expandNamed, findNamed, hasTransformation, onlyNamed } from '../../transform/named';
import type { Stage } from '../context';
import { parseInto } from './parse-request';

/**
 * Named transformations: expands `n-<name>` tokens with the tenant's stored strings and parses the result
 * (parseRequest left it pending). When the tenant restricts unnamed transformations, anything but named
 * transformations is ImageKit's "Bad Image Transformation Request" (400); the untransformed file stays allowed.
 */
export const resolveNamed: Stage = async (ctx) => {
  const tenant = ctx.tenant!;
  const { path, query } = ctx.transformationText;
  ctx.namedOnly = onlyNamed(path, query);
  if (tenant.settings.restrictUnnamedTransformations && hasTransformation(path, query) && !ctx.namedOnly) {
    throw new HttpError(
      400,
      'Bad Image Transformation Request',
      'This account restricts unnamed transformations: use named transformations only (tr:n-<name>).',
    );
  }
  if (!ctx.pendingNamed) return;
  const lookup = (name: string) => findNamed(tenant, name);
  parseInto(ctx, expandNamed(path, lookup), expandNamed(query, lookup));
  ctx.pendingNamed = false;
};
