import { HttpError } from '../../http/errors';
import { nextPeriodStart, quotaBlock } from '../../insight/quota-block';
import { quotasOf } from '../../tenants/alert-settings';
import { isUntransformed } from '../../transform/parse';
import type { KeyedContext, Stage } from '../context';

const NAMES = { bandwidthBytes: 'bandwidth', storageBytes: 'storage', transformations: 'transformations', videoMinutes: 'video minutes' };

/**
 * The operator's quotas with `over: "block"`: once the tenant is over one this month, a request that needs a new
 * transformation is a 429 until the month ends or the quota is raised. It runs after the cache missed, so every
 * variant already made keeps being served, and untransformed files still are. Tenants whose quotas only alert
 * never read the flag (src/insight/quota-block.ts); those that block read it from a per-isolate memo.
 */
export const enforceQuota: Stage<KeyedContext> = async (ctx) => {
  if (quotasOf(ctx.tenant).over !== 'block' || isUntransformed(ctx.transformation)) return;
  const now = Date.now();
  const block = await quotaBlock(ctx.env, ctx.tenantId, now);
  if (!block) return;
  throw new HttpError(
    429,
    `This account is over its monthly ${NAMES[block.metric]} quota: new transformations are paused until the month ends`,
    'Images already transformed keep being served; ask the operator to raise the quota.',
    { 'Retry-After': String(Math.ceil((nextPeriodStart(now) - now) / 1000)) },
  );
};
