/**
 * ImageKit's file routes (`@imagekit/nodejs` resources/files, resources/assets):
 *
 *   GET    /v1/files                          list and search → 200 [File | Folder]
 *   GET    /v1/files/:fileId/details          → 200 File
 *   PATCH  /v1/files/:fileId/details          details or {publish} → 200 File
 *   DELETE /v1/files/:fileId                  → 204 (every version)
 *   POST   /v1/files/batch/deleteByFileIds    → 200 / 207 / 404 with missingFileIds
 *   POST   /v1/files/addTags | removeTags | removeAITags → 200 {successfullyUpdatedFileIds}
 */
import { checkCustomCoordinates, checkTags } from '../library/field-rules';
import type { DetailsPatch } from '../library/operations/files';
import type { ListedAsset, ListQuery } from '../library/operations/list';
import { normalizeFolder } from '../library/paths';
import { apiFile, apiFolder } from '../library/records';
import { checkExtensions, extensionStatus } from '../library/upload-form';
import { badField, type Check, checkField, flag, integer, isArrayOf, isObject, isString, oneOf, text } from '../validate/fields';
import { readJsonObject } from './body';
import { auditLibrary, discardVariants, type LibraryContext } from './library-route';
import { json, noContent } from './respond';

const MAX_LIMIT = 1000;
const MAX_BULK = 100;

export async function list(ctx: LibraryContext): Promise<Response> {
  const assets = await ctx.library.list(listQuery(new URL(ctx.request.url).searchParams));
  return json(assets.map((asset) => describeAsset(ctx, asset)));
}

function describeAsset(ctx: LibraryContext, asset: ListedAsset) {
  return asset.kind === 'folder' ? apiFolder(asset.folder) : apiFile(ctx.endpoint, asset.file, asset.version);
}

const TYPES = ['file', 'file-version', 'folder', 'all'] as const;
const FILE_TYPES = ['all', 'image', 'non-image'] as const;

/** The query of GET /v1/files, each parameter checked on its own. */
export function listQuery(query: URLSearchParams): ListQuery {
  /** An empty parameter is an absent one. */
  const param = <T>(name: string, check: Check<T>, fallback: T): T => {
    const value = query.get(name);
    return value === null || value === '' ? fallback : check(value, name);
  };
  const integerText = (min: number, max: number): Check<number> => (value, name) => integer(min, max)(Number(value), name);
  const includeFolder = query.get('includeFolder') === 'true';
  const path = query.get('path');
  const tags = query.get('tags');
  return {
    type: param('type', oneOf(TYPES), includeFolder ? 'all' : 'file'),
    sort: query.get('sort') ?? undefined,
    path: path ? normalizeFolder(path, 'path') : undefined,
    searchQuery: query.get('searchQuery') || undefined,
    fileType: param('fileType', oneOf(FILE_TYPES), 'all'),
    limit: param('limit', integerText(1, MAX_LIMIT), MAX_LIMIT),
    skip: param('skip', integerText(0, Number.MAX_SAFE_INTEGER), 0),
    tags: tags ? checkTags(tags.split(','), 'tags') : undefined,
    name: query.get('name') ?? undefined,
  };
}

export async function details(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  return json(apiFile(ctx.endpoint, await ctx.library.getFile(params.fileId ?? '')));
}

export async function update(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  const id = params.fileId ?? '';
  const body = await readJsonObject(ctx.request);
  if (body.publish !== undefined) {
    const { isPublished, includeFileVersions } = publishBody(body);
    const file = await ctx.library.publish(id, isPublished, includeFileVersions);
    await auditLibrary(ctx, isPublished ? 'file.publish' : 'file.unpublish', `file:${id}`);
    return json(apiFile(ctx.endpoint, file));
  }
  const patch = detailsPatch(body);
  const extensions = body.extensions === undefined ? [] : checkExtensions(body.extensions, 'extensions');
  const file = await ctx.library.updateDetails(id, patch);
  await auditLibrary(ctx, 'file.update', `file:${id}`, patch);
  const status = extensionStatus(extensions);
  return json({ ...apiFile(ctx.endpoint, file), ...(status ? { extensionStatus: status } : {}) });
}

const DETAIL_FIELDS = new Set(['tags', 'customCoordinates', 'customMetadata', 'description', 'removeAITags', 'extensions', 'webhookUrl']);

function detailsPatch(body: Record<string, unknown>): DetailsPatch {
  for (const key of Object.keys(body)) {
    if (!DETAIL_FIELDS.has(key)) throw badField(key, `one of the fields ${[...DETAIL_FIELDS].join(', ')}, or publish alone`);
  }
  const patch: DetailsPatch = {};
  if (body.tags !== undefined) patch.tags = body.tags === null ? [] : checkTags(stringArray(body.tags, 'tags'), 'tags');
  if (body.customCoordinates !== undefined) {
    if (body.customCoordinates !== null && typeof body.customCoordinates !== 'string') throw badField('customCoordinates', '"x,y,width,height" or null');
    patch.customCoordinates = body.customCoordinates === null ? null : checkCustomCoordinates(body.customCoordinates, 'customCoordinates');
  }
  if (body.customMetadata !== undefined) {
    if (!isObject(body.customMetadata)) throw badField('customMetadata', 'an object of field names and values (null removes a value)');
    patch.customMetadata = body.customMetadata;
  }
  if (body.description !== undefined) patch.description = checkField(body, 'description', text('a string of at most 1024 characters', { max: 1024 }));
  if (body.removeAITags !== undefined) patch.removeAITags = body.removeAITags === 'all' ? 'all' : stringArray(body.removeAITags, 'removeAITags');
  if (body.webhookUrl !== undefined && (typeof body.webhookUrl !== 'string' || !/^https?:\/\//.test(body.webhookUrl))) {
    throw badField('webhookUrl', 'an http(s) URL');
  }
  return patch;
}

function publishBody(body: Record<string, unknown>): { isPublished: boolean; includeFileVersions: boolean } {
  if (Object.keys(body).length !== 1) throw badField('publish', 'sent alone: other details cannot change in the same request');
  const publish = body.publish;
  if (!isObject(publish) || typeof publish.isPublished !== 'boolean') {
    throw badField('publish', '{"isPublished": true|false, "includeFileVersions"?: true|false}');
  }
  const includeFileVersions = flag(publish.includeFileVersions, 'publish.includeFileVersions');
  return { isPublished: publish.isPublished, includeFileVersions };
}

export async function remove(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  const id = params.fileId ?? '';
  const path = await ctx.library.deleteFile(id);
  await auditLibrary(ctx, 'file.delete', `file:${id}`);
  discardVariants(ctx, path);
  return noContent();
}

export async function bulkDelete(ctx: LibraryContext): Promise<Response> {
  const fileIds = idList(await readJsonObject(ctx.request), 'fileIds');
  const { deleted, paths, errors } = await ctx.library.deleteFiles(fileIds);
  await auditLibrary(ctx, 'file.bulk-delete', `files:${deleted.join(',')}`);
  for (const path of paths) discardVariants(ctx, path);
  return errors.length > 0 ? json({ successfullyDeletedFileIds: deleted, errors }, 207) : json({ successfullyDeletedFileIds: deleted });
}

export const addTags = tagRoute('addTags', 'tags', 'file.add-tags');
export const removeTags = tagRoute('removeTags', 'tags', 'file.remove-tags');
export const removeAITags = tagRoute('removeAiTags', 'AITags', 'file.remove-ai-tags');

function tagRoute(method: 'addTags' | 'removeTags' | 'removeAiTags', field: 'tags' | 'AITags', action: string) {
  return async (ctx: LibraryContext): Promise<Response> => {
    const body = await readJsonObject(ctx.request);
    const fileIds = idList(body, 'fileIds');
    const tags = checkTags(stringArray(body[field], field), field);
    if (tags.length === 0) throw badField(field, 'at least one tag');
    const updated = await ctx.library[method](fileIds, tags);
    await auditLibrary(ctx, action, `files:${updated.join(',')}`, tags);
    return json({ successfullyUpdatedFileIds: updated });
  };
}

function idList(body: Record<string, unknown>, field: string): string[] {
  const ids = [...new Set(stringArray(body[field], field))];
  if (ids.length === 0 || ids.length > MAX_BULK) throw badField(field, `an array of 1 to ${MAX_BULK} file ids`);
  return ids;
}

function stringArray(value: unknown, field: string): string[] {
  if (!isArrayOf(value, isString)) throw badField(field, 'an array of strings');
  return value;
}

