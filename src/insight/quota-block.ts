/**
 * Whether a tenant is over an operator quota whose consequence is `block`, for the current month. The hourly
 * alert evaluation (and a change of quotas) writes it to KV; delivery reads it only for tenants whose quotas
 * block, through a per-isolate memo, so the hot path costs at most one KV read per isolate per QUOTA_MEMO_MS and
 * never a Durable Object call.
 */
import { memo } from '../cache/memo';
import type { Env } from '../env';
import { type Quotas, quotasOf, type UsageMetric } from '../tenants/alert-settings';

export interface QuotaBlock {
  /** The month it holds for, `YYYY-MM` (UTC): a new month starts unblocked. */
  period: string;
  metric: UsageMetric;
  limit: number;
  observed: number;
}

const QUOTA_MEMO_MS = 30_000;
/** KV's own edge cache of the key, in seconds (its minimum). */
const KV_CACHE_TTL = 60;

const blocks = memo<Promise<QuotaBlock | null>>({ ttlMs: QUOTA_MEMO_MS, capacity: 2000 });
const keyOf = (tenantId: string) => `quota-block:${tenantId}`;

/** The calendar month (UTC) of `ms`, `YYYY-MM`: the period of usage thresholds and quotas. */
export const periodOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** Start of the month after `ms`'s (ms since the epoch). */
export function nextPeriodStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The tenant's block for this month, or null. */
export async function quotaBlock(env: Pick<Env, 'CONFIG'>, tenantId: string, now = Date.now()): Promise<QuotaBlock | null> {
  const block = await blocks.get(tenantId, () => env.CONFIG.get<QuotaBlock>(keyOf(tenantId), { type: 'json', cacheTtl: KV_CACHE_TTL }));
  return block && block.period === periodOf(now) ? block : null;
}

export async function setQuotaBlock(env: Pick<Env, 'CONFIG'>, tenantId: string, block: QuotaBlock): Promise<void> {
  // It ends with its month at the latest (a day later, so clocks that disagree a little still see it expire).
  const expiration = Math.floor(nextPeriodStart(Date.parse(`${block.period}-01T00:00:00Z`)) / 1000) + 86_400;
  await env.CONFIG.put(keyOf(tenantId), JSON.stringify(block), { expiration });
  blocks.set(tenantId, Promise.resolve(block));
}

export async function clearQuotaBlock(env: Pick<Env, 'CONFIG'>, tenantId: string): Promise<void> {
  await env.CONFIG.delete(keyOf(tenantId));
  blocks.set(tenantId, Promise.resolve(null));
}

/** A tenant's quotas as the APIs show them: the limits, what happens over them, and the block in force if any. */
export async function quotaStatus(env: Pick<Env, 'CONFIG'>, tenant: { id: string; quotas?: Quotas }) {
  const block = await quotaBlock(env, tenant.id);
  return { ...quotasOf(tenant), blocked: block ? { metric: block.metric, limit: block.limit, observed: block.observed } : null };
}
