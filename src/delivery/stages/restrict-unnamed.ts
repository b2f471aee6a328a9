import { HttpError } from '../../http/errors';
import { hasTransformation } from '../../transform/named';
import type { ParsedContext, Stage } from '../context';

/**
 * When the tenant restricts unnamed transformations, anything but named transformations is ImageKit's
 * "Bad Image Transformation Request" (400); the untransformed file stays allowed.
 */
export const restrictUnnamed: Stage<ParsedContext> = async (ctx) => {
  const { path, query } = ctx.transformationText;
  if (ctx.tenant.settings.restrictUnnamedTransformations && hasTransformation(path, query) && !ctx.namedOnly) {
    throw new HttpError(
      400,
      'Bad Image Transformation Request',
      'This account restricts unnamed transformations: use named transformations only (tr:n-<name>).',
    );
  }
};
