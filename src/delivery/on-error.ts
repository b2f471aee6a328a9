import { HttpError } from '../http/errors';
import type { RequestContext, ResolvedContext } from './context';

/**
 * Cloudflare's `onerror=redirect`: when the original was found but could not be transformed (too large, over a
 * limit, undecodable, or an internal failure), send the client to the untransformed source instead of an error.
 * Refusals that are about the request (a bad option, access, signature, rate limit, a missing file) stay errors.
 */
export function redirectOnError(ctx: RequestContext | ResolvedContext, error: unknown): Response | undefined {
  const door = ctx.url.cloudflare;
  if (!door?.redirectOnError || !('original' in ctx)) return undefined;
  const status = error instanceof HttpError ? error.status : 500;
  if (status !== 413 && status !== 422 && status < 500) return undefined;
  return new Response(null, {
    status: 302,
    headers: { Location: door.sourceUrl, 'Cache-Control': 'no-store', 'Server-Timing': ctx.timing.header() },
  });
}
