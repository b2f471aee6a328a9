/**
 * The transcoder's two doors into R2, each good for one job only (a bearer token from src/video/jobs/token.ts):
 *
 *   GET /v1/transcoder/jobs/:tenant/:id/source        → the original's bytes, copied there when the job was queued
 *   PUT /v1/transcoder/jobs/:tenant/:id/files/:name   → stores one output file (Content-Length required)
 *
 * The transcoder so needs no storage credentials; in production it may write to R2's S3 API directly instead
 * (transcoder/README.md). Output names are checked against a strict pattern before they become keys.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { HttpError, notFound } from '../http/errors';
import { jobFile, OUTPUT_NAME, outputContentType, SOURCE_NAME } from '../video/jobs/storage';
import { jobTokenValid } from '../video/jobs/token';
import { mediaOf } from '../storage/media';

/** No single output is larger than this (a 2160p hour at the ladder's top bitrate is about 8 GB; outputs here are far smaller). */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024 * 1024;

export function registerTranscoderCallbackRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get('/v1/transcoder/jobs/:tenant/:id/source', async (request, env: Env) => {
    const { tenant, id } = await authorised(request, env);
    const object = await mediaOf(env, tenant).get(jobFile(tenant, id, SOURCE_NAME));
    if (!object) throw notFound('Job source');
    return new Response(object.body, { headers: { 'Content-Length': String(object.size), 'Content-Type': 'application/octet-stream' } });
  });
  router.put('/v1/transcoder/jobs/:tenant/:id/files/:name', async (request, env: Env) => {
    const { tenant, id } = await authorised(request, env);
    const name = request.params.name ?? '';
    if (!OUTPUT_NAME.test(name)) throw new HttpError(400, `"${name}" is not an output file name`, 'Names are [A-Za-z0-9_-] with a media extension.');
    const length = Number(request.headers.get('Content-Length'));
    if (!Number.isInteger(length) || length < 0 || length > MAX_OUTPUT_BYTES || !request.body) {
      throw new HttpError(411, 'An output file needs its Content-Length', `Send the file's length (at most ${MAX_OUTPUT_BYTES} bytes).`);
    }
    await mediaOf(env, tenant).put(jobFile(tenant, id, name), request.body.pipeThrough(new FixedLengthStream(length)), {
      httpMetadata: { contentType: outputContentType(name) },
    });
    return new Response(null, { status: 204 });
  });
}

async function authorised(request: IRequest, env: Env): Promise<{ tenant: string; id: string }> {
  const tenant = request.params.tenant ?? '';
  const id = request.params.id ?? '';
  if (!/^[0-9a-f]{40}$/.test(id) || !(await jobTokenValid(env.MASTER_KEY, tenant, id, request.headers.get('Authorization')))) {
    throw new HttpError(401, 'Not a transcoder of this job', 'The job message carries the token for its own files.');
  }
  return { tenant, id };
}
