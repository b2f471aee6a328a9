/**
 * Tenant exports (GDPR portability): the whole account as zip archives in its bucket, made by a job on a queue.
 *
 *   POST /v1/accounts/exports {partMaxFiles?, partMaxBytes?} → 202 {id}
 *   GET  /v1/accounts/exports                   → 200 [{id, status, progress, …}] (newest first)
 *   GET  /v1/accounts/exports/:id               → 200 {id, status, progress, url?, parts?, …}
 *   GET  /v1/exports/:tenant/:id/:name?expires=&signature=  → the archive (or manifest) as an attachment
 *
 * An export holds every file and record, so the routes need what reading all of them needs: files, audit and
 * users read, and settings read_write. `url` (once done) is the archive when there is one part, else the
 * manifest; `parts` carries every part's own link. Links last LINK_SECONDS, never past the archives' expiry.
 */
import type { IRequest, RouterType } from 'itty-router';
import { recordAudit } from '../audit/record';
import type { Env } from '../env';
import { exportsOf } from '../exports/client';
import { DOWNLOADABLE, exportPrefix, MANIFEST_NAME, partName } from '../exports/keys';
import { checkDownloadLink, downloadLink, LINK_SECONDS } from '../exports/links';
import type { ExportRecord } from '../exports/types';
import { HttpError } from '../http/errors';
import { randomToken } from '../security/crypto';
import { mediaOf } from '../storage/media';
import { checkField, integer, optional } from '../validate/fields';
import { requirePermission } from './auth';
import { readJsonObject } from './body';
import type { ApiContext } from './context';
import { json } from './respond';
import { tenantRoute } from './tenant-route';

/** fflate writes no Zip64: a part stays well under the 4 GiB a plain zip can address. */
const MAX_PART_BYTES = 2 * 1024 ** 3;
const DEFAULT_PART_BYTES = 1024 ** 3;
const DEFAULT_PART_FILES = 1000;
const ID = /^exp_[A-Za-z0-9_-]{16,64}$/;
const TENANT = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function registerExportRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post('/v1/accounts/exports', tenantRoute(exportRoute(create)));
  router.get('/v1/accounts/exports', tenantRoute(exportRoute(list)));
  router.get('/v1/accounts/exports/:id', tenantRoute(exportRoute(show)));
  router.get('/v1/exports/:tenant/:id/:name', download);
}

/** Whoever may take everything: read on files, audit and users, read_write on settings. */
function exportRoute(handler: (ctx: ApiContext, params: Record<string, string>) => Promise<Response>) {
  return (ctx: ApiContext, params: Record<string, string>) => {
    requirePermission(ctx, 'files', 'read');
    requirePermission(ctx, 'audit', 'read');
    requirePermission(ctx, 'users', 'read');
    requirePermission(ctx, 'settings', 'read_write');
    return handler(ctx, params);
  };
}

async function create(ctx: ApiContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const maxFiles = checkField(body, 'partMaxFiles', optional(integer(1, 100_000), DEFAULT_PART_FILES));
  const maxBytes = checkField(body, 'partMaxBytes', optional(integer(1024 * 1024, MAX_PART_BYTES), DEFAULT_PART_BYTES));
  const id = `exp_${randomToken(16)}`;
  const record = await exportsOf(ctx.env, ctx.tenant.id).create(id, ctx.tenant.id, { maxFiles, maxBytes });
  if (!record) throw new HttpError(409, 'An export of this account is already running', 'Wait for it to end (GET /v1/accounts/exports), then start another.');
  await recordAudit(ctx.env, ctx.tenant.id, { actor: ctx.actor, client: ctx.client, action: 'export.create', target: `export:${id}`, after: record.bounds });
  return json({ id }, 202);
}

async function list(ctx: ApiContext): Promise<Response> {
  const records = await exportsOf(ctx.env, ctx.tenant.id).list(50);
  return json(await Promise.all(records.map((r) => describe(ctx, r))));
}

async function show(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const record = ID.test(params.id!) ? await exportsOf(ctx.env, ctx.tenant.id).get(params.id!) : null;
  if (!record) throw new HttpError(404, `Export "${params.id}" not found`, 'List exports with GET /v1/accounts/exports.');
  return json(await describe(ctx, record));
}

/** Done parts over the parts plus the manifest: 1 only once the manifest is written. */
const progressOf = (r: ExportRecord) => (r.status === 'done' || r.status === 'expired' ? 1 : r.parts.filter((p) => p.status === 'done').length / (r.parts.length + 1));

async function describe(ctx: ApiContext, record: ExportRecord) {
  const origin = new URL(ctx.request.url).origin;
  const downloadable = record.status === 'done' && record.expiresAt !== null;
  const expires = downloadable ? Math.min(Math.floor(Date.now() / 1000) + LINK_SECONDS, Math.floor(Date.parse(record.expiresAt!) / 1000)) : 0;
  const link = (name: string) => downloadLink(ctx.env, origin, record.tenantId, record.id, name, expires);
  const parts = await Promise.all(
    record.parts.map(async (p) => ({
      name: partName(p.n),
      status: p.status,
      files: p.files,
      bytes: p.bytes,
      attempts: p.attempts,
      ...(p.size !== null ? { size: p.size, sha256: p.sha256 } : {}),
      ...(p.error && p.status !== 'done' ? { error: p.error } : {}),
      ...(downloadable ? { url: await link(partName(p.n)) } : {}),
    })),
  );
  return {
    id: record.id,
    status: record.status,
    progress: Math.round(progressOf(record) * 1000) / 1000,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
    expiresAt: record.expiresAt,
    ...(record.error ? { error: record.error } : {}),
    ...(downloadable ? { url: await link(parts.length === 1 ? partName(1) : MANIFEST_NAME), urlExpiresAt: new Date(expires * 1000).toISOString() } : {}),
    ...(downloadable ? { manifestUrl: await link(MANIFEST_NAME) } : {}),
    parts,
  };
}

/** A signed link's archive: always an attachment, never something a browser would render. */
async function download(request: IRequest, env: Env): Promise<Response> {
  const { tenant, id, name } = request.params as Record<string, string>;
  if (!TENANT.test(tenant!) || !ID.test(id!) || !DOWNLOADABLE.test(name!)) throw new HttpError(404, 'No such export archive', 'Use a link from GET /v1/accounts/exports/:id.');
  await checkDownloadLink(env, tenant!, id!, name!, new URL(request.url).searchParams);
  const object = await mediaOf(env, tenant!).get(exportPrefix(tenant!, id!) + name);
  if (!object) throw new HttpError(410, 'This export archive is no longer kept', 'Start a new export with POST /v1/accounts/exports.');
  return new Response(object.body, {
    headers: {
      'Content-Type': name!.endsWith('.zip') ? 'application/zip' : 'application/json',
      'Content-Length': String(object.size),
      'Content-Disposition': `attachment; filename="${tenant}-${id}-${name}"`,
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'Cache-Control': 'private, no-store',
      ETag: object.httpEtag,
    },
  });
}
