/**
 * `/v1/customMetadataFields`, as `@imagekit/nodejs` (resources/custom-metadata-fields.ts) calls it:
 *
 *   GET    /v1/customMetadataFields?includeDeleted=    → 200 [Field]
 *   POST   /v1/customMetadataFields                    {name, label, schema, description?} → 201 Field
 *   PATCH  /v1/customMetadataFields/:id                {label?, schema?, description?} → 200 Field
 *   DELETE /v1/customMetadataFields/:id                → 204
 *
 * Validation and storage live in the library (src/library/custom-metadata.ts, store/custom-fields.ts); a
 * deleted field's name is never reused. ImageKit counts these under media access (`files`).
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { badField } from '../validate/fields';
import { readJsonObject } from './body';
import { auditLibrary, type LibraryContext, libraryRoute } from './library-route';
import { json, noContent } from './respond';

const BASE = '/v1/customMetadataFields';

export function registerCustomMetadataFieldRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(BASE, libraryRoute('read', list));
  router.post(BASE, libraryRoute('read_write', create));
  router.patch(`${BASE}/:id`, libraryRoute('read_write', update));
  router.delete(`${BASE}/:id`, libraryRoute('read_write', remove));
}

async function list(ctx: LibraryContext): Promise<Response> {
  const includeDeleted = new URL(ctx.request.url).searchParams.get('includeDeleted');
  if (includeDeleted !== null && includeDeleted !== 'true' && includeDeleted !== 'false') throw badField('includeDeleted', 'true or false');
  return json(await ctx.library.customFields(includeDeleted === 'true'));
}

async function create(ctx: LibraryContext): Promise<Response> {
  const field = await ctx.library.createCustomField(await readJsonObject(ctx.request));
  await auditLibrary(ctx, 'custom-metadata-field.create', `custom-metadata-field:${field.id}`, field);
  return json(field, 201);
}

async function update(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  const field = await ctx.library.updateCustomField(params.id ?? '', await readJsonObject(ctx.request));
  await auditLibrary(ctx, 'custom-metadata-field.update', `custom-metadata-field:${field.id}`, field);
  return json(field);
}

async function remove(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  const id = params.id ?? '';
  await ctx.library.deleteCustomField(id);
  await auditLibrary(ctx, 'custom-metadata-field.delete', `custom-metadata-field:${id}`);
  return noContent();
}
