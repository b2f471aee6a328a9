/**
 * Transcoding jobs as the tenant sees them (files: read):
 *
 *   GET /v1/accounts/video-jobs/:id           → 200 the job (its id is the variant key of its output); 404
 *   GET /v1/accounts/video-jobs?status=&limit= → 200 [jobs], newest change first
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { jobsOf } from '../video/jobs/client';
import type { JobRecord, JobStatus } from '../video/jobs/types';
import { badField } from '../validate/fields';
import { json } from './respond';
import { accessRoute } from './tenant-route';

const STATUSES: readonly JobStatus[] = ['preparing', 'queued', 'running', 'ready', 'error'];

export function registerVideoJobRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/video-jobs/:id',
    accessRoute('files', 'read', async (ctx, params) => {
      const job = await jobsOf(ctx.env, ctx.tenant.id).get(params.id ?? '');
      if (!job) throw notFound('Video job');
      return json(publicJob(job));
    }),
  );
  router.get(
    '/v1/accounts/video-jobs',
    accessRoute('files', 'read', async (ctx) => {
      const query = new URL(ctx.request.url).searchParams;
      const status = query.get('status');
      if (status !== null && !STATUSES.includes(status as JobStatus)) throw badField('status', STATUSES.join(', '));
      const limit = Number(query.get('limit') ?? '50');
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badField('limit', 'an integer from 1 to 500');
      const jobs = await jobsOf(ctx.env, ctx.tenant.id).list(status as JobStatus | null, limit);
      return json(jobs.map(publicJob));
    }),
  );
}

/** The job without its internals (where the transcoder calls back, the limits it ran under). */
function publicJob(job: JobRecord) {
  return {
    id: job.id,
    status: job.status,
    type: job.plan.kind,
    container: job.plan.container,
    transformation: job.plan.transformation,
    trigger: job.trigger,
    path: `/${job.path}`,
    url: job.url,
    originalUrl: job.originalUrl,
    attempts: job.attempts,
    error: job.error,
    outputs: job.outputs,
    input: job.input,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}
