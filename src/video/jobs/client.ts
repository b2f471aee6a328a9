/** The Worker's handle on a tenant's VideoJobs object (one per tenant: the isolation and the dedupe point). */
import { guardedStub } from '../../durable/guarded-stub';
import type { Env } from '../../env';

export const jobsOf = (env: Pick<Env, 'VIDEO_JOBS'>, tenantId: string) =>
  guardedStub('VideoJobs', env.VIDEO_JOBS.get(env.VIDEO_JOBS.idFromName(tenantId)));
