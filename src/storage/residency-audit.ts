/**
 * Audits reads served from outside a tenant's jurisdiction (storage/media.ts): in the platform's log, which is
 * in the default jurisdiction and so reachable while the tenant's region is not, and in the tenant's own log
 * when that answers. One entry per tenant per minute per isolate: an outage must not write one per request.
 */
import { PLATFORM_LOG, recordAudit } from '../audit/record';
import type { Env } from '../env';
import type { Jurisdiction } from '../tenants/residency';

const AUDIT_EVERY_MS = 60_000;
const lastAudit = new Map<string, number>();

export async function auditFallback(env: Pick<Env, 'AUDIT_LOG' | 'CONFIG'>, tenantId: string, from: Jurisdiction, key: string, now = Date.now()): Promise<void> {
  if (now - (lastAudit.get(tenantId) ?? -Infinity) < AUDIT_EVERY_MS) return;
  lastAudit.set(tenantId, now);
  const change = {
    actor: { kind: 'platform' } as const,
    client: { ip: '', country: '' },
    action: 'residency.fallback',
    target: `tenant:${tenantId}`,
    after: { from, to: 'default', key },
  };
  await recordAudit(env, PLATFORM_LOG, change).catch((error: unknown) => console.error('residency: auditing a fallback failed', error));
  await recordAudit(env, tenantId, change).catch((error: unknown) => console.error('residency: the tenant\'s log did not take the fallback', error));
}
