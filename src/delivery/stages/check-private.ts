import { HttpError } from '../../http/errors';
import type { ResolvedContext, Stage } from '../context';
import { SIGNING_HELP } from './verify-signature';

/**
 * Private files need a valid signature, unless the transformation is made of named transformations only
 * (ImageKit: "named transformations work without a signature"). Runs once the original is resolved.
 */
export const checkPrivate: Stage<ResolvedContext> = async (ctx) => {
  if (!ctx.original.isPrivate || ctx.signed || ctx.namedOnly) return;
  throw new HttpError(401, 'This file is private: its URL must be signed, or use a named transformation.', SIGNING_HELP);
};
