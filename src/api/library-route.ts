/**
 * The frame of every media library route: a tenant API route that needs `files` access, with the tenant's
 * library at hand, and the one way those routes record what they changed in the audit log.
 */
import { filesEndpoint } from '../delivery/url';
import { recordAudit } from '../audit/record';
import { purgeVariants } from '../cache/purge';
import { libraryOf, type LibraryClient } from '../library/client';
import type { ApiContext } from './context';
import { accessRoute } from './tenant-route';

export interface LibraryContext extends ApiContext {
  library: LibraryClient;
  /** Where the tenant's files are delivered (`https://host/<tenant>`): the base of every `url` answered. */
  endpoint: string;
}

export type LibraryHandler = (ctx: LibraryContext, params: Record<string, string>) => Promise<Response> | Response;

/** ImageKit's "Media access": read covers listing and reading, read_write adds every change. */
export function libraryRoute(level: 'read' | 'read_write', handler: LibraryHandler) {
  return accessRoute('files', level, (ctx, params) => handler(withLibrary(ctx), params));
}

export function withLibrary(ctx: ApiContext): LibraryContext {
  return { ...ctx, library: libraryOf(ctx.env, ctx.tenant.id), endpoint: filesEndpoint(ctx.request.url, ctx.tenant) };
}

/**
 * Deletes the stored variants of files that are gone (a library path like `/a/b.jpg`, or a folder `/a/`), after
 * the answer: they can never be served again (their version is in their cache key), so they are only garbage.
 */
export function discardVariants(ctx: LibraryContext, libraryPath: string): void {
  const path = libraryPath.slice(1);
  const target = libraryPath.endsWith('/') ? { prefix: path } : { path };
  ctx.exec.waitUntil(purgeVariants(ctx.env, ctx.tenant.id, target).catch((error) => console.error('discarding variants failed', error)));
}

/** Records a library change after it happened; `after` is digested, never stored. */
export function auditLibrary(ctx: ApiContext, action: string, target: string, after?: unknown): Promise<unknown> {
  return recordAudit(ctx.env, ctx.tenant.id, { actor: ctx.actor, client: ctx.client, action, target, after });
}
