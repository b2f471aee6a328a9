/**
 * ImageKit's upload API: `POST /api/v1/files/upload` and `/api/v2/files/upload` (multipart).
 *
 * Order: refuse an oversized body from its Content-Length, wait for room in the isolate's memory gate, stream
 * the form in (src/api/upload-body.ts: the file part is hashed and spooled to R2 as it arrives, never held
 * whole), authenticate (Basic with a private key, or client-side v1 token/signature or v2 JWT, each token once:
 * a token is spent even when a field is wrong), check every field (src/library/upload-form.ts), read the bytes
 * (the spooled part, base64 or a URL fetched through the SSRF guard and spooled the same way), refuse them over
 * the tenant's limit, sniff what they really are, then store them (src/library/ingest.ts: bytes first, record
 * second) and audit. Whatever fails on the way, the spooled bytes are discarded: nothing is stored.
 * Uploads are outside the API rate limit, as in ImageKit.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { libraryOf } from '../library/client';
import { describeMetadata } from '../library/file-metadata';
import { FileSpool, SPOOL_PEAK_BYTES, SpoolTooLarge } from '../library/file-spool';
import { type Content, discard, ingest, r2Writer } from '../library/ingest';
import { headOf, mediaInfo } from '../library/media-info';
import { apiUploadResult } from '../library/records';
import { extensionStatus, parseUploadForm, type UploadSource } from '../library/upload-form';
import { isolateMemory } from '../delivery/memory-gate';
import { safeFetch } from '../security/safe-fetch';
import { policyFor } from '../security/ssrf';
import { MAX_UPLOAD_BYTES } from '../tenants/config';
import { loadTenant } from '../tenants/store';
import { authenticateKey, requirePermission } from './auth';
import { type ApiContext, keyContext, userContext } from './context';
import { sessionOf } from './app-door';
import { UploadStaging } from './upload-staging';
import { mediaOf } from '../storage/media';
import { auditLibrary, withLibrary } from './library-route';
import { json } from './respond';
import { videoProber } from './video-probe';
import { lookupKeyFromKv, tokenReusedError, verifyV1, verifyV2 } from './upload-auth';
import { checkPostTransformations, queuePostTransformations } from '../video/jobs/post-upload';
import { fileTooLarge, readUploadBody } from './upload-body';

export function registerUploadRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post('/api/v1/files/upload', (request: IRequest, env: Env, exec: ExecutionContext) => upload(request, env, exec, 1));
  router.post('/api/v2/files/upload', (request: IRequest, env: Env, exec: ExecutionContext) => upload(request, env, exec, 2));
}

/** Room for the form's other fields and the multipart framing around the file. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;
/** The largest file read before the tenant is known (the highest limit a tenant can set). */
const MAX_BODY_BYTES = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + FORM_OVERHEAD_BYTES;
/** A file sent as base64 text is a field of the form, held in memory: 4/3 of the file. */
const MAX_FIELD_BYTES = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4;
/** ImageKit gives a URL this long to start answering. */
const URL_FETCH_TIMEOUT_MS = 8_000;

async function upload(request: Request, env: Env, exec: ExecutionContext, version: 1 | 2): Promise<Response> {
  refuseLargeBody(request, MAX_BODY_BYTES);
  // An upload holds at most two parts while it streams; it waits its turn with the transformations.
  const release = await isolateMemory.admit(SPOOL_PEAK_BYTES);
  let content: Content | undefined;
  try {
    const staging = new UploadStaging(request, env);
    const body = await readUploadBody(request, (fields) => staging.bucket(fields), { maxFileBytes: MAX_UPLOAD_BYTES, maxFieldBytes: MAX_FIELD_BYTES, maxBodyBytes: MAX_BODY_BYTES });
    content = body.file;
    // Authentication (and claiming a client token) comes first, so a token is spent even when a field is wrong.
    const ctx = withLibrary(await authenticate(request, env, exec, body.fields, version));
    staging.confirm(ctx.tenant.id);
    const fields = parseUploadForm(body.fields, body.file);
    const maxBytes = ctx.tenant.settings.limits.maxUploadBytes;
    content = await readSource(fields.file, maxBytes, env, ctx.tenant.id);
    checkPostTransformations(fields.postTransformations, fields.fileName);
    const media = await mediaInfo(content, fields.fileName, videoProber(env, ctx.tenant.settings.limits));
    const file = await ingest(
      ctx.library,
      content,
      {
        folder: fields.folder,
        name: fields.fileName,
        useUniqueFileName: fields.useUniqueFileName,
        overwriteFile: fields.overwriteFile,
        overwriteTags: fields.overwriteTags,
        overwriteCustomMetadata: fields.overwriteCustomMetadata,
        overwriteAITags: fields.overwriteAITags,
        attributes: {
          tags: fields.tags ?? [],
          customCoordinates: fields.customCoordinates,
          customMetadata: fields.customMetadata ?? {},
          description: fields.description ?? null,
          isPrivate: fields.isPrivateFile,
          isPublished: fields.isPublished,
        },
        media,
      },
      r2Writer(mediaOf(env, ctx.tenant.id)),
    );
    await auditLibrary(ctx, 'file.upload', `file:${file.id}`, { path: file.path, version: file.version.id });
    if (fields.postTransformations.length) {
      const origin = env.TRANSCODER_CALLBACK_URL || new URL(request.url).origin;
      await queuePostTransformations(env, ctx.tenant, file, fields.postTransformations, ctx.endpoint, origin);
    }
    const status = extensionStatus(fields.extensions);
    // Every optional field is answered anyway (the SDKs type them all as optional); `metadata` costs a header
    // read, so only when asked for.
    const metadata = fields.responseFields.includes('metadata') && media.fileType === 'image' ? await describeMetadata(headOf(content)) : undefined;
    return json({ ...apiUploadResult(ctx.endpoint, file), ...(status ? { extensionStatus: status } : {}), ...(metadata ? { metadata } : {}) });
  } finally {
    // Stored bytes have left the spool; whatever did not get that far is dropped here.
    if (content) await discard(content);
    release();
  }
}

function refuseLargeBody(request: Request, maxBytes: number): void {
  const length = Number(request.headers.get('Content-Length') ?? 0);
  if (length > maxBytes) throw fileTooLarge(MAX_UPLOAD_BYTES);
}

/** Basic auth with a private key when the header is there; otherwise the client-side token of this API version. */
async function authenticate(
  request: Request,
  env: Env,
  exec: ExecutionContext,
  form: FormData,
  version: 1 | 2,
): Promise<ApiContext> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const session = sessionOf(request);
  if (session) {
    const ctx = userContext(request, env, exec, session);
    requirePermission(ctx, 'files', 'read_write');
    return ctx;
  }
  if (request.headers.has('Authorization')) {
    if (text('signature') || text('token')) {
      throw new HttpError(400, 'Your request contains both signature and basic auth parameter. Please use only one of them.', 'Authenticate either with a private key (Basic) or with a client-side token.');
    }
    const { tenant, key } = await authenticateKey(request, env);
    const ctx = keyContext(request, env, exec, tenant, key);
    requirePermission(ctx, 'files', 'read_write');
    return ctx;
  }
  const auth =
    version === 1
      ? await verifyV1({ publicKey: text('publicKey'), token: text('token'), expire: text('expire'), signature: text('signature') }, lookupKeyFromKv(env))
      : await verifyV2(form, lookupKeyFromKv(env));
  const tenant = await loadTenant(env, auth.tenantId);
  const key = tenant?.keys.find((k) => k.id === auth.keyId);
  if (!tenant || !key) throw new HttpError(403, 'Your account cannot be authenticated.', 'Check the public key.');
  const ctx = keyContext(request, env, exec, tenant, key);
  requirePermission(ctx, 'files', 'read_write');
  // Claimed before anything else can fail, so a token never works twice even after a failed upload.
  if (!(await libraryOf(env, tenant.id).claimToken(auth.replayToken, auth.replayExpiresAt))) {
    throw tokenReusedError(version, version === 1 ? auth.replayToken : '');
  }
  return ctx;
}

/** The file's bytes: the spooled part, decoded base64, or a URL's body spooled as it is fetched. */
async function readSource(source: UploadSource, maxBytes: number, env: Env, tenantId: string): Promise<Content> {
  switch (source.kind) {
    case 'spooled':
      if (source.file.size > maxBytes) throw fileTooLarge(maxBytes);
      return source.file;
    case 'bytes':
      if (source.bytes.length > maxBytes) throw fileTooLarge(maxBytes);
      return source.bytes;
    case 'url':
      return fetchSource(source.url, maxBytes, env, tenantId);
  }
}

/** A file given by URL, fetched under the SSRF guard; any failure to get it is the client's 400 (or 413). */
async function fetchSource(url: string, maxBytes: number, env: Env, tenantId: string): Promise<Content> {
  // Local development may upload from local servers on any port; production only from ports 80 and 443.
  const policy = policyFor(env, env.ALLOW_PRIVATE_ORIGINS === 'true' ? [url] : []);
  const spool = new FileSpool(mediaOf(env, tenantId), maxBytes);
  try {
    const fetched = await safeFetch(url, { policy, timeoutMs: URL_FETCH_TIMEOUT_MS, label: 'file URL' });
    if (!fetched.response.ok || !fetched.response.body) {
      await fetched.response.body?.cancel();
      throw new HttpError(400, `The file URL answered ${fetched.response.status}.`, 'Give a URL that serves the file.');
    }
    const declared = Number(fetched.response.headers.get('Content-Length') ?? 0);
    if (declared > maxBytes) {
      await fetched.response.body.cancel();
      throw fileTooLarge(maxBytes);
    }
    for await (const chunk of fetched.response.body) await spool.write(chunk);
    return await spool.finish();
  } catch (error) {
    await spool.abandon();
    if (error instanceof SpoolTooLarge) throw fileTooLarge(maxBytes);
    if (error instanceof HttpError && (error.status === 400 || error.status === 413)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, `The file could not be fetched from the URL: ${message}`, error instanceof HttpError ? error.help : 'Give a URL that serves the file.');
  }
}
