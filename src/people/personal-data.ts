/**
 * What is stored about one person, and erasing it (GDPR access and erasure). The account record and sessions
 * live in the tenant's Accounts object; the audit log holds their user id as actor or target, and the address
 * and country they acted from. Erasing deletes the account with its sessions and tokens, then replaces the user
 * id in the audit log by a stable pseudonym (the same person always gets the same one, so the log still shows
 * that one someone did these things) and blanks their addresses; the chain keeps verifying (src/audit/chain.ts).
 */
import type { AuditEntry } from '../audit/chain';
import { auditLog } from '../audit/record';
import type { Pseudonymised } from '../durable/audit-log';
import type { UserRecord } from '../durable/accounts';
import type { Env } from '../env';
import { purposeHmacHex } from '../security/crypto';
import { accountsOf } from './client';
import { describeUser } from './invitations';

const AUDIT_PAGE = 500;

export const userRef = (userId: string) => `user:${userId}`;

/** `user:anon-<20 hex>`: an HMAC of the tenant and user ids under a key derived from MASTER_KEY. */
export async function pseudonymOf(env: Pick<Env, 'MASTER_KEY'>, tenantId: string, userId: string): Promise<string> {
  return `user:anon-${(await purposeHmacHex(env.MASTER_KEY, 'audit pseudonyms', `${tenantId}\n${userId}`)).slice(0, 20)}`;
}

export interface PersonalData {
  user: ReturnType<typeof describeUser> | null;
  sessions: unknown[];
  auditEntries: AuditEntry[];
}

/** Everything stored about `userId`; null when nothing is (no account, no audit entry). */
export async function personalData(env: Env, tenantId: string, userId: string): Promise<PersonalData | null> {
  const accounts = accountsOf(env, tenantId);
  const user = await accounts.user(userId);
  const auditEntries: AuditEntry[] = [];
  const log = auditLog(env, tenantId);
  let cursor: string | undefined;
  do {
    const page = await log.about(userRef(userId), AUDIT_PAGE, cursor);
    auditEntries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (!user && auditEntries.length === 0) return null;
  return { user: user && describeUser(user), sessions: user ? await accounts.sessionsOf(user.id) : [], auditEntries };
}

export type Erasure = { ok: true; pseudonym: string; erasedUser: UserRecord | null; audit: Pseudonymised } | { ok: false; reason: 'last-owner' };

/** Deletes the account (unless it is the last active owner) and pseudonymises the audit log. */
export async function erasePersonalData(env: Env, tenantId: string, userId: string, beforePseudonymising: () => Promise<unknown>): Promise<Erasure> {
  const outcome = await accountsOf(env, tenantId).deleteUser(userId);
  if (outcome === 'last-owner') return { ok: false, reason: 'last-owner' };
  // The caller's own audit entry of the erasure names the user too: it is written first, and pseudonymised with the rest.
  await beforePseudonymising();
  const pseudonym = await pseudonymOf(env, tenantId, userId);
  const audit = await auditLog(env, tenantId).pseudonymise(userRef(userId), pseudonym);
  return { ok: true, pseudonym, erasedUser: outcome === 'not-found' ? null : outcome, audit };
}
