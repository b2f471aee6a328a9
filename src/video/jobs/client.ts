/** The Worker's handle on a tenant's VideoJobs object (one per tenant: the isolation and the dedupe point). */
import { tenantStub } from '../../durable/tenant-stub';
import type { Env } from '../../env';

export const jobsOf = (env: Pick<Env, 'VIDEO_JOBS' | 'CONFIG'>, tenantId: string) =>
  tenantStub('VideoJobs', env, env.VIDEO_JOBS, tenantId);
