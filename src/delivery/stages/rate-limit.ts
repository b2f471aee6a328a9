import { enforceRateLimit } from '../../security/rate-limit';
import type { ParsedContext, Stage } from '../context';

/**
 * Per client IP (`CF-Connecting-IP`) delivery rate limit of the tenant: a 429 with `Retry-After` and
 * `X-RateLimit-*` when over. Without a configured limit nothing is called.
 */
export const rateLimit: Stage<ParsedContext> = async (ctx) => {
  const perMinute = ctx.tenant.settings.rateLimit.deliveryPerIpPerMinute;
  if (!perMinute) return;
  const ip = ctx.request.headers.get('CF-Connecting-IP')?.trim() || 'unknown';
  await enforceRateLimit(ctx.env, ctx.tenantId, 'delivery', ip, perMinute);
};
