import type { Env } from '../env';
import { HttpError } from '../http/errors';
import type { RateDecision } from '../durable/rate-limiter';
import { sha256Hex } from './crypto';
import { tenantStub } from '../durable/tenant-stub';

const SHARDS = 16;
const MINUTE = 60_000;

/**
 * Counts one event of `client` against `limit` per `intervalMs` in the tenant's sliding windows (one object per
 * tenant × scope × shard of clients) and says whether it was within the limit.
 */
export async function countAgainst(
  env: Env,
  tenantId: string,
  scope: 'delivery' | 'api' | 'variants' | 'sign-in',
  client: string,
  limit: number,
  intervalMs: number,
): Promise<RateDecision> {
  const shard = parseInt((await sha256Hex(client)).slice(0, 8), 16) % SHARDS;
  const stub = tenantStub('RateLimiter', env, env.RATE_LIMITER, tenantId, `${tenantId}:${scope}:${shard}`);
  return stub.check(client, limit, intervalMs);
}

/** Counts one request of `client` against `perMinute`; throws a 429 with ImageKit's headers when over. */
export async function enforceRateLimit(
  env: Env,
  tenantId: string,
  scope: 'delivery' | 'api',
  client: string,
  perMinute: number,
): Promise<RateDecision> {
  const decision = await countAgainst(env, tenantId, scope, client, perMinute, MINUTE);
  if (!decision.allowed) {
    throw new HttpError(429, 'Too many requests: the rate limit for this client is exceeded.', 'Wait for Retry-After seconds.', {
      'Retry-After': String(Math.ceil(decision.resetMs / 1000)),
      'X-RateLimit-Limit': String(decision.limit),
      'X-RateLimit-Reset': String(decision.resetMs),
      'X-RateLimit-Interval': String(decision.intervalMs),
    });
  }
  return decision;
}
