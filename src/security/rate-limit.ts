import type { Env } from '../env';
import { HttpError } from '../http/errors';
import type { RateDecision } from '../durable/rate-limiter';
import { sha256Hex } from './crypto';
import { guardedStub } from '../durable/guarded-stub';

const SHARDS = 16;
const MINUTE = 60_000;

/** Counts one request of `client` against `perMinute`; throws a 429 with ImageKit's headers when over. */
export async function enforceRateLimit(
  env: Env,
  tenantId: string,
  scope: 'delivery' | 'api',
  client: string,
  perMinute: number,
): Promise<RateDecision> {
  const shard = parseInt((await sha256Hex(client)).slice(0, 8), 16) % SHARDS;
  const stub = guardedStub('RateLimiter', env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`${tenantId}:${scope}:${shard}`)));
  const decision = await stub.check(client, perMinute, MINUTE);
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
