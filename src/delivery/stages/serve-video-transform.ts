import type { Env } from '../../env';
import { HttpError } from '../../http/errors';
import { isIdentity } from '../../transform/parse';
import { MAX_VIDEO_SIDE, planVideoJob, type VideoJobPlan } from '../../video/ffmpeg-args';
import { requestVideoJob } from '../../video/jobs/create';
import { jobsOf } from '../../video/jobs/client';
import { jobFile, videoJobKey } from '../../video/jobs/storage';
import type { JobRecord, JobSeed } from '../../video/jobs/types';
import { rewriteManifest } from '../../video/manifest';
import type { ResolvedContext, Stage } from '../context';
import { notModified, notModifiedResponse } from '../conditional';
import { variantHeaders } from '../headers';
import { isStreamCopyTrim } from './trim-video';
import { assertMayServe, findRequested } from '../originals';
import { partialResponse, rangeOf, unsatisfiable } from '../ranges';
import { deliveryMedia } from '../media';

/**
 * Video outputs that need re-encoding, with ImageKit's semantics: the output is made once by a transcoding job
 * (src/video/jobs/) and then served from the R2 derived store with Range like any variant. Before it exists, a
 * streaming manifest answers 202 with an empty body; a video transform waits through the polling window and
 * then answers 302 to the original. A stream's playlists and segments are served from the job's files.
 */
export const serveVideoTransform: Stage<ResolvedContext> = async (ctx) => {
  const { media } = ctx;
  if (media.kind === 'part') {
    const { job, name } = media.part!;
    return serveStored(ctx, jobFile(ctx.tenantId, job, name), `${job}-${name}`);
  }
  if (media.kind !== 'video' && media.kind !== 'hls' && media.kind !== 'dash') return;
  // An untouched video is the original itself (serveOriginal streams it with ranges).
  if (ctx.transformation.output.orig) return;
  if (media.kind === 'video' && media.suffix !== 'ik-gif-video.mp4' && isIdentity(ctx.transformation)) return;
  // A trim alone is a stream copy the video Worker makes at once (trimVideo).
  if (media.kind === 'video' && !media.suffix && isStreamCopyTrim(ctx.transformation)) return;
  const plan = planVideoJob(ctx.transformation, media.kind);
  let id = await videoJobKey(ctx.tenantId, ctx.original.path, ctx.original.etag, plan, media.suffix);
  const ready = await serveOutput(ctx, plan, id);
  if (ready) return ready;
  if (!ctx.confirmed) {
    // Known only from a record: the job must be of the version the origin has now.
    const original = await findRequested(ctx);
    assertMayServe(ctx, original);
    Object.assign(ctx, { original, confirmed: true });
    id = await videoJobKey(ctx.tenantId, original.path, original.etag, plan, media.suffix);
  }
  let job = await requestVideoJob(ctx.env, seedOf(ctx, plan, id), {
    size: ctx.original.size,
    contentType: ctx.original.contentType,
    stream: () => ctx.original.stream(),
  });
  ctx.timing.cache = 'miss';
  if (media.kind !== 'video') return pending(ctx, job);
  const { attempts, intervalMs } = pollWindow(ctx.env);
  for (let i = 0; i < attempts && job.status !== 'ready' && job.status !== 'error'; i++) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    job = (await jobsOf(ctx.env, ctx.tenantId).get(id)) ?? job;
  }
  if (job.status === 'ready') return (await serveOutput(ctx, plan, id)) ?? pending(ctx, job);
  return redirectToOriginal(ctx, job);
};

function seedOf(ctx: ResolvedContext, plan: VideoJobPlan, id: string): JobSeed {
  const limits = ctx.tenant.settings.limits;
  return {
    id,
    tenantId: ctx.tenantId,
    path: ctx.original.path,
    etag: ctx.original.etag,
    plan,
    trigger: 'delivery',
    url: ctx.request.url,
    originalUrl: originalUrl(ctx),
    callbackBase: ctx.env.TRANSCODER_CALLBACK_URL || new URL(ctx.request.url).origin,
    limits: { maxInputBytes: limits.maxVideoInputBytes, maxSeconds: limits.maxVideoSeconds, maxSide: Math.min(MAX_VIDEO_SIDE, limits.maxOutputDimension) },
  };
}

/** "3x5000": three more looks at the job, 5 s apart (ImageKit polls 5 s × 3), before the 302. */
function pollWindow(env: Env): { attempts: number; intervalMs: number } {
  const match = /^(\d{1,2})x(\d{1,6})$/.exec(env.VIDEO_POLL ?? '');
  return match ? { attempts: Number(match[1]), intervalMs: Number(match[2]) } : { attempts: 3, intervalMs: 5000 };
}

function originalUrl(ctx: ResolvedContext): string {
  const prefix = ctx.urlPrefix ? `/${ctx.urlPrefix}` : '';
  return `${ctx.url.endpointBase}${prefix}/${ctx.path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Not ready yet: 202 with an empty body, not cached, with the job's id to look it up by. */
function pending(ctx: ResolvedContext, job: JobRecord): Response {
  return new Response(null, { status: 202, headers: { 'Cache-Control': 'no-store', 'Retry-After': '5', 'X-Edgepix-Job': job.id, 'Server-Timing': ctx.timing.header() } });
}

function redirectToOriginal(ctx: ResolvedContext, job: JobRecord): Response {
  return new Response(null, {
    status: 302,
    headers: { Location: originalUrl(ctx), 'Cache-Control': 'no-store', 'X-Edgepix-Job': job.id, 'Server-Timing': ctx.timing.header() },
  });
}

/** The job's main file when it exists: a manifest rewritten to point at its parts, a video with ranges. */
async function serveOutput(ctx: ResolvedContext, plan: VideoJobPlan, id: string): Promise<Response | undefined> {
  const key = jobFile(ctx.tenantId, id, plan.main);
  if (plan.container !== 'hls' && plan.container !== 'dash') return serveStored(ctx, key, id, true);
  const stored = await deliveryMedia(ctx).get(key);
  if (!stored) return undefined;
  ctx.timing.cache = 'hit-store';
  const headers = outputHeaders(ctx, plan.contentType, id);
  if (notModified(ctx.request, id, ctx.original.lastModified)) return notModifiedResponse(headers);
  const body = rewriteManifest(new TextDecoder().decode(await stored.arrayBuffer()), plan.container, id);
  return new Response(ctx.request.method === 'HEAD' ? null : body, { headers });
}

function outputHeaders(ctx: ResolvedContext, contentType: string, etag: string): Headers {
  const headers = variantHeaders(ctx, contentType);
  headers.set('ETag', `"${etag}"`);
  // f-auto is mp4 (or webm, by codec) on video: the answer never depends on Accept.
  headers.delete('Vary');
  headers.set('Accept-Ranges', 'bytes');
  return headers;
}

/** A stored job file, streamed from R2 with a single Range read as just that range. */
async function serveStored(ctx: ResolvedContext, key: string, etag: string, optional = false): Promise<Response | undefined> {
  const head = await deliveryMedia(ctx).head(key);
  if (!head) {
    if (optional) return undefined;
    throw new HttpError(404, 'This part of the stream does not exist', 'Load the stream from its ik-master manifest.');
  }
  ctx.timing.cache = 'hit-store';
  const headers = outputHeaders(ctx, head.httpMetadata?.contentType ?? 'application/octet-stream', etag);
  const quoted = `"${etag}"`;
  if (notModified(ctx.request, etag, ctx.original.lastModified)) return notModifiedResponse(headers);
  const range = rangeOf(ctx.request, head.size, { etag: quoted, lastModified: ctx.original.lastModified });
  if (range.kind === 'unsatisfiable') throw unsatisfiable(head.size);
  headers.set('Content-Length', String(head.size));
  if (ctx.request.method === 'HEAD') return new Response(null, { headers });
  if (range.kind === 'part') {
    const part = await deliveryMedia(ctx).get(key, { range: { offset: range.start, length: range.end - range.start + 1 } });
    return partialResponse(part?.body ?? null, headers, range, head.size);
  }
  const whole = await deliveryMedia(ctx).get(key);
  return new Response(whole?.body ?? null, { headers });
}
