/**
 * The operator's blocking rules, all of them in one KV value. Delivery reads them on every request, so each
 * isolate keeps them for a few seconds (a change reaches every isolate within that time) and indexes them by
 * tenant: a request looks at the rules for all tenants and those for its own, nothing else, and never calls a
 * Durable Object. Writers hold the platform's lock, so two changes never lose one another.
 */
import { memo } from '../../cache/memo';
import type { Env } from '../../env';
import { withTenantLock } from '../../tenants/lock';
import type { OperatorBlockingRule } from './rules';

const KEY = 'platform:blocking-rules';
/** The lock the operator's writes take: the platform audit log's name, which no tenant can have. */
const LOCK = '#platform';
const TTL_MS = 10_000;

export interface OperatorRules {
  all: OperatorBlockingRule[];
  /** Rules for every tenant. */
  global: OperatorBlockingRule[];
  byTenant: Map<string, OperatorBlockingRule[]>;
}

const kept = memo<Promise<OperatorRules>>({ ttlMs: TTL_MS, capacity: 1 });

/** The rules as this isolate last read them (at most TTL_MS ago). */
export function operatorRules(env: Pick<Env, 'CONFIG'>, now = Date.now()): Promise<OperatorRules> {
  return kept.get(KEY, () => readRules(env), now);
}

async function readRules(env: Pick<Env, 'CONFIG'>): Promise<OperatorRules> {
  return index((await env.CONFIG.get<OperatorBlockingRule[]>(KEY, 'json')) ?? []);
}

function index(all: OperatorBlockingRule[]): OperatorRules {
  const byTenant = new Map<string, OperatorBlockingRule[]>();
  for (const rule of all) if (rule.tenant !== null) byTenant.set(rule.tenant, [...(byTenant.get(rule.tenant) ?? []), rule]);
  return { all, global: all.filter((rule) => rule.tenant === null), byTenant };
}

/** Changes the stored rules under the platform's lock, starting from what KV holds now; this isolate sees it at once. */
export async function changeOperatorRules<T>(
  env: Pick<Env, 'CONFIG' | 'TENANT_LOCK'>,
  change: (rules: OperatorBlockingRule[]) => { rules: OperatorBlockingRule[]; result: T },
): Promise<T> {
  return withTenantLock(env, LOCK, async () => {
    const current = await readRules(env);
    const { rules, result } = change(current.all);
    await env.CONFIG.put(KEY, JSON.stringify(rules));
    kept.set(KEY, Promise.resolve(index(rules)));
    return result;
  });
}
