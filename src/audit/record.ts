import { type Actor, actorName, type ClientInfo } from './actor';
import type { Env } from '../env';
import type { AuditEntry } from '../durable/audit-log';
import { sha256Hex } from '../security/crypto';
import { tenantStub } from '../durable/tenant-stub';

/** The platform's own audit log: not a valid tenant id, so it can never collide with one. */
export const PLATFORM_LOG = '#platform';

export interface AuditedChange {
  actor: Actor;
  client: ClientInfo;
  /** e.g. `settings.update`, `api-key.create`, `tenant.delete`. */
  action: string;
  /** What was changed, e.g. `settings` or `api-key:key_abc`. */
  target: string;
  before?: unknown;
  after?: unknown;
}

/** Appends an entry to the tenant's audit log. Only digests of before/after are kept, never the values. */
export async function recordAudit(env: Pick<Env, 'AUDIT_LOG' | 'CONFIG'>, tenantId: string, change: AuditedChange): Promise<AuditEntry> {
  const digest = async (value: unknown) => (value === undefined ? '' : sha256Hex(JSON.stringify(value)));
  return auditLog(env, tenantId).append({
    actor: actorName(change.actor),
    ip: change.client.ip,
    country: change.client.country,
    action: change.action,
    target: change.target,
    beforeDigest: await digest(change.before),
    afterDigest: await digest(change.after),
  });
}

export function auditLog(env: Pick<Env, 'AUDIT_LOG' | 'CONFIG'>, tenantId: string) {
  return tenantStub('AuditLog', env, env.AUDIT_LOG, tenantId);
}
